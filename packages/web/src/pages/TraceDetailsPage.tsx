import { useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { SpanRecord } from '@o2/api-schemas';
import { api } from '../api/endpoints';
import { tracesApi } from '../api/traces';
import { useOrg, useOrgPath } from '../app/org';
import { webBasename } from '../app/paths';
import { local } from '../app/storage';
import { formatInZone } from '../app/time-zone';
import { useAsync } from '../app/useAsync';
import { zoneOf } from '../components/DateTimePicker';
import { Select } from '../components/Select';
import { Toast } from '../components/Toast';
import { encodeQuery, equalsFilter } from './logs/query';
import { SpanSidebar } from './traces/SpanSidebar';
import { Waterfall } from './traces/Waterfall';
import { formatDuration, traceBounds } from './traces/span-tree';
import { traceDetailsPath, traceLogsPath } from './traces/trace-urls';
import './traces/traces.css';

interface Loaded {
  spans: SpanRecord[];
  /** The URL's range held none of the trace: it was looked up and widened. */
  widened: boolean;
}

/**
 * Loads a trace's spans in the URL's window; when that window holds none of them (a link with
 * a stale range), asks `time_range` where the trace is and loads it there, as O2 does.
 */
async function loadTrace(
  org: string,
  stream: string,
  traceId: string,
  window: { start: number; end: number } | undefined,
): Promise<Loaded> {
  const first = await tracesApi.details(org, stream, traceId, window);
  if (first.hits.length > 0 || window === undefined) return { spans: first.hits, widened: false };
  const found = await tracesApi.timeRange(org, stream, traceId);
  if (found.range === undefined) return { spans: [], widened: false };
  const { start_time: start, end_time: end } = found.range;
  const again = await tracesApi.details(org, stream, traceId, { start, end });
  return { spans: again.hits, widened: true };
}

/**
 * Trace detail (UI-SPEC §8.2): header, waterfall, span sidebar, and "View logs" on a chosen log
 * stream. `/traces/trace-details?stream=&trace_id=&span_id=&from=&to=&org_identifier=`.
 */
export default function TraceDetailsPage() {
  const org = useOrg();
  const orgPath = useOrgPath();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const stream = params.get('stream') ?? 'default';
  const traceId = params.get('trace_id') ?? '';
  const from = Number(params.get('from') ?? Number.NaN);
  const to = Number(params.get('to') ?? Number.NaN);
  const linked = Number.isFinite(from) && to > from ? { start: from, end: to } : undefined;
  const timezone = zoneOf(params.get('timezone') ?? local.get('timezone') ?? 'browser');
  const trace = useAsync(
    () => loadTrace(org, stream, traceId, linked),
    [org, stream, traceId, from, to],
  );
  const spans = useMemo(() => (trace.status === 'ready' ? trace.data.spans : []), [trace]);
  const selectedId = params.get('span_id') ?? undefined;
  const selected = spans.find((s) => s.span_id === selectedId);
  const logStreams = useAsync(() => api.streams(org, 'logs'), [org]);
  const logNames =
    logStreams.status === 'ready' ? logStreams.data.list.map((s) => s.name).sort() : [];
  const [logStream, setLogStream] = useState<string | undefined>(undefined);
  const chosenLogStream = logStream ?? logNames[0] ?? '';
  const [copied, setCopied] = useState<string | undefined>();

  const bounds = traceBounds(spans);
  const root = spans.find((s) => (s.reference_parent_span_id ?? '') === '') ?? spans[0];
  const errors = spans.filter((s) => s.span_status === 'ERROR').length;
  const range = { startNs: bounds.start, endNs: bounds.end };

  const selectSpan = (spanId: string | undefined) => {
    const next = new URLSearchParams(params);
    if (spanId === undefined) next.delete('span_id');
    else next.set('span_id', spanId);
    setParams(next, { replace: true });
  };
  const viewLogs = (spanId?: string) => {
    if (chosenLogStream === '') return;
    void navigate(traceLogsPath(org, chosenLogStream, traceId, range, spanId));
  };
  const copy = (text: string, what: string) =>
    void navigator.clipboard.writeText(text).then(() => setCopied(what));
  const backToSearch = (filter?: string) => {
    const extra: Record<string, string> = { stream };
    if (filter !== undefined) extra['query'] = encodeQuery(filter);
    void navigate(orgPath('/traces', extra));
  };

  return (
    <div className="trace-details" data-test="trace-details-page">
      <header className="trace-details-header" data-test="trace-details-header">
        <Link
          to={orgPath('/traces', { stream })}
          className="btn"
          data-test="trace-details-back-btn"
          title="Back to traces"
        >
          ←
        </Link>
        <h2 data-test="trace-details-operation-name">
          {root === undefined ? traceId : `${root.service_name}: ${root.operation_name}`}
        </h2>
        <span className="trace-fact">
          Trace id <code data-test="trace-details-trace-id">{traceId}</code>
          <button
            type="button"
            className="btn-icon"
            title="Copy trace id"
            data-test="trace-details-copy-trace-id-btn"
            onClick={() => copy(traceId, 'Trace id copied')}
          >
            Copy
          </button>
        </span>
        {spans.length > 0 && (
          <>
            <span className="trace-fact" data-test="trace-details-duration">
              {formatDuration((bounds.end - bounds.start) / 1000)}
            </span>
            <span className="trace-fact">
              <span data-test="trace-details-spans-count">{spans.length}</span> spans
            </span>
            <span className={`trace-fact${errors > 0 ? ' badge badge-error' : ''}`}>
              <span data-test="trace-details-error-spans-count">{errors}</span>{' '}
              {errors === 1 ? 'error' : 'errors'}
            </span>
            <span className="trace-fact" data-test="trace-details-start-time">
              {formatInZone(bounds.start / 1000, timezone)}
            </span>
          </>
        )}
        <span className="header-spacer" />
        <button
          type="button"
          className="btn"
          data-test="trace-details-share-link-btn"
          onClick={() =>
            copy(
              `${window.location.origin}${webBasename()}` +
                traceDetailsPath(org, stream, traceId, range),
              'Link copied',
            )
          }
        >
          Share
        </button>
        <Select
          dataTest="trace-details-log-streams-select"
          ariaLabel="Log stream"
          searchable
          value={chosenLogStream}
          options={logNames.map((n) => ({ value: n, label: n }))}
          onChange={setLogStream}
        />
        <button
          type="button"
          className="btn btn-primary"
          data-test="trace-details-view-logs-btn"
          disabled={chosenLogStream === '' || spans.length === 0}
          onClick={() => viewLogs()}
        >
          View Logs
        </button>
      </header>
      {copied !== undefined && <Toast variant="success" message={copied} />}
      {trace.status === 'error' && <Toast variant="error" message={trace.error} />}
      {trace.status === 'ready' && trace.data.widened && (
        <p className="result-summary" data-test="trace-details-time-range-updated">
          The trace lies outside the linked range: time range has been updated.
        </p>
      )}
      {trace.status === 'ready' && spans.length === 0 && (
        <p data-test="trace-details-not-found">
          Trace {traceId} was not found in {stream}.
        </p>
      )}
      {spans.length > 0 && (
        <div className="trace-details-body">
          <Waterfall spans={spans} selected={selectedId} onSelect={selectSpan} />
          {selected !== undefined && (
            <SpanSidebar
              key={selected.span_id}
              span={selected}
              timezone={timezone}
              onClose={() => selectSpan(undefined)}
              onFilter={(field, value, negate) => backToSearch(equalsFilter(field, value, negate))}
              onViewLogs={() => viewLogs(selected.span_id)}
              onOpenLink={(linkedTrace, linkedSpan) =>
                void navigate(
                  `${traceDetailsPath(org, stream, linkedTrace)}&span_id=${encodeURIComponent(linkedSpan)}`,
                )
              }
            />
          )}
        </div>
      )}
    </div>
  );
}
