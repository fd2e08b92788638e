import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api } from '../api/endpoints';
import { useOrg } from '../app/org';
import { REFRESH_OPTIONS } from '../app/refresh-options';
import { useShortcuts } from '../app/shortcuts';
import { useIsDark } from '../app/theme';
import { formatInZone } from '../app/time-zone';
import { useAsync } from '../app/useAsync';
import { DateTimePicker } from '../components/DateTimePicker';
import { Select } from '../components/Select';
import { Toast } from '../components/Toast';
import { setCompletionFields } from '../editor/o2-sql';
import { DetailDrawer } from './logs/DetailDrawer';
import { Histogram } from './logs/Histogram';
import { histogramSql } from './logs/histogram-buckets';
import { FieldList } from './logs/FieldList';
import { LiveTail } from './logs/LiveTail';
import {
  addToWhere,
  buildSql,
  decodeQuery,
  encodeQuery,
  equalsFilter,
  looksLikeSql,
} from './logs/query';
import { ColumnPicker } from './logs/ColumnPicker';
import { Pagination } from './logs/Pagination';
import { ResultsTable } from './logs/ResultsTable';
import './logs/logs.css';
import { QueryProfile } from './logs/QueryProfile';
import { VisualizeDrawer } from './logs/VisualizeDrawer';
import { RunProgress } from './logs/RunProgress';
import { useLogsRun } from './logs/useLogsRun';
import { useUrlTime } from './logs/useUrlTime';

const CodeEditor = lazy(() => import('../editor/CodeEditor'));

/** Logs explorer (first cut): stream, fields with top values, quick/SQL query, period, results. */
export default function LogsPage() {
  const org = useOrg();
  const dark = useIsDark();
  const [params, setParams] = useSearchParams();
  const streams = useAsync(() => api.streams(org, 'logs'), [org]);
  const names = streams.status === 'ready' ? streams.data.list.map((s) => s.name).sort() : [];
  const stream = params.get('stream') ?? names[0] ?? '';
  const [text, setText] = useState(() => decodeQuery(params.get('query')));
  // The toggle is what the URL keeps; SQL text also counts as SQL mode (UI-SPEC §14.1).
  const sqlToggle = params.get('sql_mode') === 'true';
  const sqlMode = sqlToggle || looksLikeSql(text);
  const schema = useAsync(
    () => (stream === '' ? Promise.resolve(undefined) : api.streamSchema(org, stream, 'logs')),
    [org, stream],
  );
  const fields = schema.status === 'ready' && schema.data !== undefined ? schema.data.schema : [];
  const { run: result, start: startRun, cancel } = useLogsRun(org);
  const busy = result.status === 'running';
  const [detail, setDetail] = useState<Record<string, unknown> | undefined>();
  const [showProfile, setShowProfile] = useState(false);
  // The range visualize charts: fixed when it opens, so a relative range does not move under it.
  const [visualize, setVisualize] = useState<{ start: number; end: number }>();

  useEffect(() => setCompletionFields(fields.map((f) => f.name)), [fields]);

  const time = useUrlTime(params, setParams);
  const { period, absolute, fromUs, toUs, range, timezone } = time;
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(100);
  const [runId, setRunId] = useState(0);
  // The range of the last Run: paging re-reads it, so a relative range does not move (#1239).
  const locked = useRef<
    { start: number; end: number; sql: string; partitioned: boolean } | undefined
  >(undefined);

  /** Runs the search and writes the whole query state into the URL (shareable). */
  const run = useCallback(
    (query: string = text, keepView = false) => {
      if (stream === '') return;
      const next = new URLSearchParams(params);
      next.set('stream', stream);
      next.set('period', period);
      next.set('sql_mode', String(sqlToggle));
      next.set('query', encodeQuery(query));
      setParams(next, { replace: true });
      const { start, end } = range();
      // An empty query is every record, whatever the mode.
      const sqlQuery = sqlMode && query.trim() !== '';
      const sql = buildSql(stream, sqlQuery, query);
      // Quick mode is split into partitions, with a histogram of its filter; SQL mode (which
      // may aggregate or sort otherwise) runs as one search and draws no histogram (yet).
      locked.current = { start, end, sql, partitioned: !sqlQuery };
      // An auto-refresh keeps the page, the scroll and the open rows; a Run starts at page 1.
      if (!keepView) {
        setRunId((n) => n + 1);
        setPage(1);
      }
      startRun({
        sql,
        start,
        end,
        from: keepView ? (page - 1) * pageSize : 0,
        size: pageSize,
        partitioned: !sqlQuery,
        refresh: keepView,
        ...(sqlQuery ? {} : { histogramSql: (i: string) => histogramSql(stream, query, i) }),
      });
    },
    [text, stream, period, sqlMode, sqlToggle, params, setParams, range, startRun, page, pageSize],
  );

  /** Another page (or page size) of the last Run: same SQL, same locked range. */
  const goToPage = (next: number, size: number = pageSize) => {
    const last = locked.current;
    if (last === undefined) return;
    setPage(next);
    setPageSize(size);
    startRun({ ...last, from: (next - 1) * size, size, histogramSql: 'keep' });
  };

  // A search runs on the first visit (as O2 does) and whenever the URL's search state changes
  // (stream, period, zoomed range, SQL toggle); keyed on the values, since a router navigation
  // lands after the state updates that asked for it.
  const runKey = [stream, period, params.get('from'), params.get('to'), sqlToggle].join('|');
  const lastRun = useRef('');
  useEffect(() => {
    if (stream === '' || lastRun.current === runKey) return;
    lastRun.current = runKey;
    run();
  }, [runKey, stream, run]);

  // Auto-refresh (`refresh=<seconds>` as O2): re-runs a relative range; a zoomed one stays put.
  const refresh = Number(params.get('refresh') ?? '0');
  const latestRun = useRef(run);
  latestRun.current = run;
  useEffect(() => {
    if (!(refresh > 0) || absolute) return;
    const timer = setInterval(() => latestRun.current(undefined, true), refresh * 1000);
    return () => clearInterval(timer);
  }, [refresh, absolute]);

  // The histogram toggle is kept in the URL (`show_histogram`, as O2); `h` flips it, `r` runs.
  const showHistogram = params.get('show_histogram') !== 'false';
  const toggleHistogram = useCallback(
    () =>
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          next.set('show_histogram', String(prev.get('show_histogram') === 'false'));
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  useShortcuts(
    useMemo(() => ({ r: () => latestRun.current(), h: toggleHistogram }), [toggleHistogram]),
  );

  const setParam = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    next.set(key, value);
    // Picking a relative period leaves a zoomed (absolute) range.
    if (key === 'period') ['from', 'to'].forEach((k) => next.delete(k));
    setParams(next);
  };

  // Table columns live in the URL too (`columns=a,b`), so a shared link shows the same table.
  const columns = (params.get('columns') ?? '').split(',').filter((c) => c !== '');
  const toggleColumn = (field: string) => {
    const next = new URLSearchParams(params);
    const chosen = columns.includes(field)
      ? columns.filter((c) => c !== field)
      : [...columns, field];
    if (chosen.length === 0) next.delete('columns');
    else next.set('columns', chosen.join(','));
    setParams(next, { replace: true });
  };

  const addFilter = (field: string, value: unknown, negate: boolean) => {
    const clause = equalsFilter(field, value, negate);
    const quick = text.trim() === '' ? clause : `${text.trim()} AND ${clause}`;
    const next = looksLikeSql(text) ? addToWhere(text, clause) : quick;
    setText(next);
    run(next);
  };

  return (
    <div className="logs" data-test="logs-page">
      <div className="toolbar logs-toolbar" data-test="logs-search-bar">
        <Select
          dataTest="logs-search-index-list"
          ariaLabel="Stream"
          searchable
          value={stream}
          options={names.map((n) => ({ value: n, label: n }))}
          onChange={(v) => setParam('stream', v)}
        />
        <button
          type="button"
          role="switch"
          aria-checked={sqlMode}
          data-state={sqlMode ? 'checked' : 'unchecked'}
          className="btn"
          data-test="logs-search-bar-sql-mode-toggle-btn"
          onClick={() => setParam('sql_mode', String(!sqlToggle))}
        >
          SQL mode {sqlMode ? 'on' : 'off'}
        </button>
        <button
          type="button"
          role="switch"
          aria-checked={showHistogram}
          data-state={showHistogram ? 'checked' : 'unchecked'}
          className="btn"
          data-test="logs-search-bar-show-histogram-toggle-btn"
          title="Show histogram (h)"
          onClick={toggleHistogram}
        >
          Histogram {showHistogram ? 'on' : 'off'}
        </button>
        <DateTimePicker
          value={time.timeRange}
          zone={time.zoneChoice}
          onChange={time.setTimeRange}
          onZone={time.setZone}
        />
        <Select
          dataTest="logs-search-bar-auto-refresh"
          ariaLabel="Auto refresh"
          value={String(refresh > 0 ? refresh : 0)}
          options={REFRESH_OPTIONS}
          onChange={(v) => setParam('refresh', v)}
        />
        <button
          type="button"
          className="btn btn-primary"
          data-test="logs-search-bar-refresh-btn"
          disabled={busy}
          onClick={() => run()}
        >
          Run query
        </button>
        {busy && (
          <button
            type="button"
            className="btn"
            data-test="logs-search-bar-cancel-btn"
            onClick={cancel}
          >
            Cancel
          </button>
        )}
        <button
          type="button"
          className="btn"
          data-test="logs-visualize-toggle"
          onClick={() => setVisualize(range())}
        >
          Visualize
        </button>
      </div>
      <Suspense fallback={<div className="code-editor" aria-busy="true" />}>
        <CodeEditor
          dataTest="logs-search-bar-query-editor"
          ariaLabel="Query"
          value={text}
          onChange={setText}
          onRun={() => run()}
          dark={dark}
        />
      </Suspense>
      <div className="logs-body">
        {stream !== '' && (
          <FieldList
            stream={stream}
            fields={fields}
            range={range}
            onFilter={addFilter}
            columns={columns}
            onToggleColumn={toggleColumn}
          />
        )}
        <section className="logs-results">
          <LiveTail
            {...{ org, stream, onOpen: setDetail }}
            filter={sqlMode ? '' : decodeQuery(params.get('query'))}
          />
          {streams.status === 'ready' && names.length === 0 && (
            <p data-test="logs-no-stream">No log streams yet: send some data first.</p>
          )}
          {result.status !== 'idle' && <RunProgress run={result} />}
          {result.status === 'error' && (
            <Toast variant="error" message={result.error ?? 'search failed'} />
          )}
          {absolute && (
            <div className="result-summary" data-test="logs-time-range">
              {formatInZone(fromUs, timezone)} → {formatInZone(toUs, timezone)} ({timezone})
            </div>
          )}
          {showHistogram && result.histogram !== undefined && (
            <Histogram
              buckets={result.histogram.buckets}
              intervalUs={result.histogram.intervalUs}
              dark={dark}
              timezone={timezone}
              onZoom={(from, to) => time.setTimeRange({ type: 'absolute', from, to })}
            />
          )}
          {result.status !== 'idle' && (
            <>
              <div className="logs-table-bar">
                {/* Counts show once a partition has answered (or the run stopped). */}
                {(result.status !== 'running' || result.profile.partitions.length > 0) && (
                  <div
                    className="result-summary"
                    data-test="logs-search-result-summary"
                    data-state={result.status}
                  >
                    Showing {result.hits.length === 0 ? 0 : (page - 1) * pageSize + 1} to{' '}
                    {(page - 1) * pageSize + result.hits.length} of {result.total} events in{' '}
                    {result.took} ms{result.status === 'cancelled' ? ' (cancelled)' : ''}
                  </div>
                )}
                <div className="toolbar">
                  <button
                    type="button"
                    className="btn"
                    data-test="logs-query-profile-btn"
                    disabled={result.profile.partitions.length === 0}
                    onClick={() => setShowProfile(true)}
                  >
                    Query profile
                  </button>
                  <ColumnPicker
                    fields={fields.map((f) => f.name)}
                    columns={columns}
                    onToggle={toggleColumn}
                  />
                </div>
              </div>
              <ResultsTable
                hits={result.hits}
                onOpen={setDetail}
                columns={columns}
                stream={stream}
                timezone={timezone}
                pageKey={`${page}/${pageSize}/${runId}`}
              />
              <Pagination
                page={page}
                pageSize={pageSize}
                total={result.total}
                onPage={(p) => goToPage(p)}
                onPageSize={(size) => goToPage(1, size)}
              />
            </>
          )}
        </section>
      </div>
      {visualize !== undefined && (
        <VisualizeDrawer
          {...{ org, stream, text, dark }}
          range={visualize}
          onClose={() => setVisualize(undefined)}
        />
      )}
      {showProfile && (
        <QueryProfile
          profile={result.profile}
          timezone={timezone}
          onClose={() => setShowProfile(false)}
        />
      )}
      {detail !== undefined && (
        <DetailDrawer stream={stream} hit={detail} onClose={() => setDetail(undefined)} />
      )}
    </div>
  );
}
