import { Link } from 'react-router';
import type { OrgSummary } from '@o2/api-schemas';
import { api } from '../api/endpoints';
import { formatCount, formatMB } from '../app/format';
import { useOrg, useOrgPath } from '../app/org';
import { useAsync } from '../app/useAsync';
import { Toast } from '../components/Toast';

function Tile({
  id,
  label,
  value,
  link,
}: {
  id: string;
  label: string;
  value: string;
  link?: string;
}) {
  return (
    <div className="tile" data-test={`home-${id}-tile`}>
      <div className="tile-label">{label}</div>
      <div className="tile-value" data-test={`home-${id}-value`}>
        {value}
      </div>
      {link !== undefined && (
        <Link className="tile-link" to={link} data-test={`home-${id}-view-btn`}>
          View
        </Link>
      )}
    </div>
  );
}

function EmptyOrg({ orgPath }: { orgPath: (p: string) => string }) {
  return (
    <section className="home-empty" data-test="home-no-data">
      <h2>No data ingested yet</h2>
      <p>Send data to this organization to see it here.</p>
      <div className="home-empty-cards">
        <Link to={orgPath('/ingestion/custom/logs/curl')} data-test="home-send-logs">
          Send logs
        </Link>
        <Link to={orgPath('/ingestion/custom/metrics/prometheus')} data-test="home-send-metrics">
          Send metrics
        </Link>
        <Link to={orgPath('/ingestion/custom/traces/otel')} data-test="home-send-traces">
          Send traces
        </Link>
      </div>
    </section>
  );
}

function Summary({ summary, orgPath }: { summary: OrgSummary; orgPath: (p: string) => string }) {
  const s = summary.streams;
  return (
    <>
      <section className="tiles" aria-label="Streams">
        <Tile
          id="streams"
          label="Streams"
          value={formatCount(s.num_streams)}
          link={orgPath('/streams')}
        />
        <Tile id="events" label="Events" value={formatCount(s.total_records)} />
        <Tile id="ingested-size" label="Ingested size" value={formatMB(s.total_storage_size)} />
        <Tile
          id="compressed-size"
          label="Compressed size"
          value={formatMB(s.total_compressed_size)}
        />
        <Tile id="index-size" label="Index size" value={formatMB(s.total_index_size)} />
      </section>
      <section className="tiles" aria-label="Resources">
        <Tile id="functions" label="Functions" value={formatCount(summary.total_functions)} />
        <Tile id="dashboards" label="Dashboards" value={formatCount(summary.total_dashboards)} />
      </section>
    </>
  );
}

/** Home: the org summary (`GET /api/{org}/summary`), or the empty-org cards. */
export default function HomePage() {
  const org = useOrg();
  const orgPath = useOrgPath();
  const summary = useAsync(() => api.summary(org), [org]);
  return (
    <div className="home" data-test="home-page">
      <h1 className="page-title">Home</h1>
      {summary.status === 'loading' && <div className="page-loading" aria-busy="true" />}
      {summary.status === 'error' && <Toast variant="error" message={summary.error} />}
      {summary.status === 'ready' &&
        (summary.data.streams.num_streams === 0 ? (
          <EmptyOrg orgPath={orgPath} />
        ) : (
          <Summary summary={summary.data} orgPath={orgPath} />
        ))}
    </div>
  );
}
