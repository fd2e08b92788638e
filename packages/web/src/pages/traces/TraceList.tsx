import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { TraceSummary } from '@o2/api-schemas';
import { formatInZone } from '../../app/time-zone';
import { DataTable } from '../../components/DataTable';
import type { Column } from '../../components/DataTable';
import { formatDuration, serviceColor } from './span-tree';
import { traceDetailsPath } from './trace-urls';

interface Props {
  org: string;
  stream: string;
  hits: TraceSummary[];
  timezone: string;
}

/**
 * The trace list (UI-SPEC §8.1): one row per trace, its root span's service and operation,
 * duration, spans, errors and each service's share. Every cell is a real link to the trace's
 * detail, so a row opens in a new tab with the middle button (#5124).
 */
export function TraceList({ org, stream, hits, timezone }: Props) {
  const link = (t: TraceSummary, content: ReactNode, dataTest?: string) => (
    <Link
      className="trace-row-link"
      data-test={dataTest}
      to={traceDetailsPath(org, stream, t.trace_id, { startNs: t.start_time, endNs: t.end_time })}
    >
      {content}
    </Link>
  );
  const columns: Column<TraceSummary>[] = [
    {
      key: 'timestamp',
      label: 'Timestamp',
      render: (t) => link(t, formatInZone(t.start_time / 1000, timezone)),
    },
    {
      key: 'service_name',
      label: 'Service',
      render: (t) => link(t, t.first_event.service_name, 'trace-row-service-name'),
    },
    {
      key: 'operation_name',
      label: 'Operation name',
      render: (t) => link(t, t.first_event.operation_name, 'trace-row-operation-name'),
    },
    {
      key: 'duration',
      label: 'Duration',
      align: 'right',
      render: (t) => link(t, formatDuration(t.duration), 'trace-row-duration'),
    },
    {
      key: 'spans',
      label: 'Spans',
      align: 'right',
      render: (t) => link(t, t.spans[0], 'trace-row-spans'),
    },
    {
      key: 'status',
      label: 'Status',
      render: (t) =>
        link(
          t,
          t.spans[1] > 0 ? (
            <span className="badge badge-error" data-test="trace-row-error-count">
              {t.spans[1]} {t.spans[1] === 1 ? 'error' : 'errors'}
            </span>
          ) : (
            <span className="badge badge-ok">OK</span>
          ),
        ),
    },
    {
      key: 'service_latency',
      label: 'Service latency',
      render: (t) => {
        const sum = t.service_name.reduce((s, x) => s + x.duration, 0) || 1;
        return link(
          t,
          <span className="service-latency" data-test="trace-row-service-latency">
            {t.service_name.map((s) => (
              <span
                key={s.service_name}
                title={`${s.service_name}: ${formatDuration(s.duration)} (${s.count} spans)`}
                style={{
                  width: `${(100 * s.duration) / sum}%`,
                  background: serviceColor(s.service_name),
                }}
              />
            ))}
          </span>,
        );
      },
    },
  ];
  return (
    <div className="traces-list" data-test="traces-search-result-list">
      <DataTable
        dataTest="traces-search-result-table"
        columns={columns}
        rows={hits}
        rowKey={(t) => t.trace_id}
        empty={<span data-test="traces-search-result-not-found-text">No traces found</span>}
      />
    </div>
  );
}
