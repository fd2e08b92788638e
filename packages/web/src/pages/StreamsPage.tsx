import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { StreamJson } from '@o2/api-schemas';
import { api } from '../api/endpoints';
import { absoluteTime, formatCount, formatMB, relativeTime } from '../app/format';
import { useOrg } from '../app/org';
import { useShortcuts } from '../app/shortcuts';
import { useAsync } from '../app/useAsync';
import { DataTable } from '../components/DataTable';
import type { Column } from '../components/DataTable';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { TextInput } from '../components/TextInput';
import { Toast } from '../components/Toast';
import { SchemaDrawer } from './streams/SchemaDrawer';

const TYPES = [
  { value: 'logs', label: 'Logs' },
  { value: 'metrics', label: 'Metrics' },
  { value: 'traces', label: 'Traces' },
  { value: 'metadata', label: 'Metadata' },
] as const;

function ratio(s: StreamJson): number {
  return s.stats.compressed_size > 0 ? s.stats.storage_size / s.stats.compressed_size : 0;
}

function columns(
  open: (name: string) => void,
  remove: (name: string) => void,
): Column<StreamJson>[] {
  const num = { align: 'right' as const };
  return [
    { key: 'name', label: 'Name', render: (s) => s.name, sortValue: (s) => s.name },
    {
      key: 'doc_time_max',
      label: 'Last ingested',
      render: (s) => (
        <span title={absoluteTime(s.stats.doc_time_max)}>{relativeTime(s.stats.doc_time_max)}</span>
      ),
      sortValue: (s) => s.stats.doc_time_max,
    },
    {
      key: 'doc_num',
      label: 'Events',
      render: (s) => formatCount(s.stats.doc_num),
      sortValue: (s) => s.stats.doc_num,
      ...num,
    },
    {
      key: 'storage_size',
      label: 'Ingested data',
      render: (s) => formatMB(s.stats.storage_size),
      sortValue: (s) => s.stats.storage_size,
      ...num,
    },
    {
      key: 'compressed_size',
      label: 'Compressed size',
      render: (s) => formatMB(s.stats.compressed_size),
      sortValue: (s) => s.stats.compressed_size,
      ...num,
    },
    {
      key: 'compression',
      label: 'Compression',
      render: (s) => (ratio(s) > 0 ? `${ratio(s).toFixed(1)}×` : '–'),
      sortValue: ratio,
      ...num,
    },
    {
      key: 'index_size',
      label: 'Index size',
      render: (s) => formatMB(s.stats.index_size),
      sortValue: (s) => s.stats.index_size,
      ...num,
    },
    {
      key: 'actions',
      label: 'Actions',
      render: (s) => (
        <div className="row-actions">
          <button
            type="button"
            className="btn btn-small"
            data-test="log-stream-schema-btn"
            onClick={() => open(s.name)}
          >
            Stream detail
          </button>
          <button
            type="button"
            className="btn btn-small btn-danger"
            data-test="log-stream-delete-btn"
            onClick={() => remove(s.name)}
          >
            Delete
          </button>
        </div>
      ),
    },
  ];
}

/** Streams: type filter, name search, org totals, a sortable table and the schema drawer. */
export default function StreamsPage() {
  const org = useOrg();
  const [params, setParams] = useSearchParams();
  const type = params.get('type') ?? 'logs';
  const [search, setSearch] = useState('');
  const [detail, setDetail] = useState<string | undefined>();
  const [removing, setRemoving] = useState<string | undefined>();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | undefined>();
  const streams = useAsync(() => api.streams(org, type), [org, type]);
  const { reload } = streams;
  useShortcuts(
    useMemo(
      () => ({
        r: reload,
        '/': () =>
          document
            .querySelector<HTMLInputElement>('[data-test="streams-search-stream-input-field"]')
            ?.focus(),
      }),
      [reload],
    ),
  );
  const list = streams.status === 'ready' ? streams.data.list : [];
  const shown = list.filter((s) => s.name.toLowerCase().includes(search.toLowerCase()));
  const total = (pick: (s: StreamJson) => number) => list.reduce((n, s) => n + pick(s), 0);

  return (
    <div className="streams" data-test="log-stream-page">
      <h1 className="page-title">Streams</h1>
      <div className="toolbar">
        <div
          role="radiogroup"
          aria-label="Stream type"
          className="segmented"
          data-test="log-stream-type-filter"
        >
          {TYPES.map((t) => (
            <button
              key={t.value}
              type="button"
              role="radio"
              aria-checked={type === t.value}
              data-state={type === t.value ? 'on' : 'off'}
              data-test={`log-stream-type-${t.value}-btn`}
              onClick={() => {
                params.set('type', t.value);
                setParams(params);
              }}
            >
              {t.label}
            </button>
          ))}
        </div>
        <TextInput
          dataTest="streams-search-stream-input"
          label="Search stream"
          placeholder="Search Stream"
          value={search}
          onChange={setSearch}
        />
        <button
          type="button"
          className="btn"
          data-test="log-stream-refresh-stats-btn"
          onClick={streams.reload}
        >
          Refresh stats
        </button>
      </div>
      {streams.status === 'error' && <Toast variant="error" message={streams.error} />}
      {message !== undefined && (
        <Toast variant={message.ok ? 'success' : 'error'} message={message.text} />
      )}
      <dl className="totals" data-test="log-stream-totals">
        <dt>Streams</dt>
        <dd data-test="log-stream-total-streams">{list.length}</dd>
        <dt>Events</dt>
        <dd>{formatCount(total((s) => s.stats.doc_num))}</dd>
        <dt>Ingested</dt>
        <dd>{formatMB(total((s) => s.stats.storage_size))}</dd>
        <dt>Compressed</dt>
        <dd>{formatMB(total((s) => s.stats.compressed_size))}</dd>
        <dt>Index</dt>
        <dd>{formatMB(total((s) => s.stats.index_size))}</dd>
      </dl>
      {streams.status === 'loading' ? (
        <div className="page-loading" aria-busy="true" />
      ) : (
        <DataTable
          dataTest="log-stream-table"
          rows={shown}
          rowKey={(s) => `${s.stream_type}/${s.name}`}
          columns={columns(setDetail, setRemoving)}
          initialSort={{ key: 'name', asc: true }}
          empty="No streams yet"
        />
      )}
      {removing !== undefined && (
        <ConfirmDialog
          dataTest="log-stream-delete-dialog"
          title="Delete stream"
          confirmLabel="OK"
          onCancel={() => setRemoving(undefined)}
          onConfirm={() => {
            const name = removing;
            setRemoving(undefined);
            api.deleteStream(org, name, type).then(
              () => {
                setMessage({ ok: true, text: `Stream ${name} deleted successfully` });
                streams.reload();
              },
              (error: unknown) =>
                setMessage({
                  ok: false,
                  text: error instanceof Error ? error.message : String(error),
                }),
            );
          }}
        >
          Delete the {type} stream {removing} and all its data? This cannot be undone.
        </ConfirmDialog>
      )}
      {detail !== undefined && (
        <SchemaDrawer stream={detail} type={type} onClose={() => setDetail(undefined)} />
      )}
    </div>
  );
}
