import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { api } from '../api/endpoints';
import { tracesApi } from '../api/traces';
import { useOrg } from '../app/org';
import { REFRESH_OPTIONS } from '../app/refresh-options';
import { webBasename } from '../app/paths';
import { useShortcuts } from '../app/shortcuts';
import { useIsDark } from '../app/theme';
import { useAsync } from '../app/useAsync';
import { DateTimePicker } from '../components/DateTimePicker';
import { Select } from '../components/Select';
import { Toast } from '../components/Toast';
import { setCompletionFields } from '../editor/o2-sql';
import { FieldList } from './logs/FieldList';
import { Pagination } from './logs/Pagination';
import { decodeQuery, encodeQuery, equalsFilter } from './logs/query';
import { useUrlTime } from './logs/useUrlTime';
import { DurationFacet } from './traces/DurationFacet';
import { DurationScatter } from './traces/DurationScatter';
import { SyntaxGuide } from './traces/SyntaxGuide';
import { TraceList } from './traces/TraceList';
import { andFilter, traceDetailsPath } from './traces/trace-urls';
import { useTracesRun } from './traces/useTracesRun';
import './traces/traces.css';

const CodeEditor = lazy(() => import('../editor/CodeEditor'));

/** The span fields O2 puts first in the traces facets (UI-SPEC §8.1), then the rest by name. */
const FACETS_FIRST = ['service_name', 'operation_name', 'span_status', 'span_kind', 'duration'];

/**
 * Traces search (UI-SPEC §8.1): a trace stream, a WHERE filter over span fields, facets with
 * top values and duration percentiles, the duration scatter and the trace list. The whole
 * search state is in the URL (`stream`, `period`|`from`/`to`, `query` base64), so it is shareable.
 */
export default function TracesPage() {
  const org = useOrg();
  const dark = useIsDark();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const streams = useAsync(() => api.streams(org, 'traces'), [org]);
  const names = streams.status === 'ready' ? streams.data.list.map((s) => s.name).sort() : [];
  const stream = params.get('stream') ?? (names.includes('default') ? 'default' : (names[0] ?? ''));
  const [text, setText] = useState(() => decodeQuery(params.get('query')));
  const schema = useAsync(
    () => (stream === '' ? Promise.resolve(undefined) : api.streamSchema(org, stream, 'traces')),
    [org, stream],
  );
  const fields = useMemo(() => {
    const all = schema.status === 'ready' && schema.data !== undefined ? schema.data.schema : [];
    const rank = (name: string) => {
      const at = FACETS_FIRST.indexOf(name);
      return at < 0 ? FACETS_FIRST.length : at;
    };
    return [...all].sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name));
  }, [schema]);
  useEffect(() => setCompletionFields(fields.map((f) => f.name)), [fields]);

  const time = useUrlTime(params, setParams);
  const { period, range, timezone } = time;
  const { run: result, start, cancel } = useTracesRun(org);
  const busy = result.status === 'running';
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(25);
  // The window and filter of the last Run: paging re-reads them, so the list does not move.
  const locked = useRef<{ window: { start: number; end: number }; filter: string } | undefined>(
    undefined,
  );
  // The filter the facets count under: the last run's, not the text being typed.
  const [ranFilter, setRanFilter] = useState(text);

  const run = useCallback(
    (filter: string = text) => {
      if (stream === '') return;
      const next = new URLSearchParams(params);
      next.set('stream', stream);
      next.set('period', period);
      next.set('query', encodeQuery(filter));
      setParams(next, { replace: true });
      const { start: s, end: e } = range();
      locked.current = { window: { start: s, end: e }, filter };
      setRanFilter(filter);
      setPage(1);
      start({ stream, filter, window: { start: s, end: e }, from: 0, size: pageSize });
    },
    [text, stream, period, params, setParams, range, start, pageSize],
  );

  const goToPage = (next: number, size: number = pageSize) => {
    const last = locked.current;
    if (last === undefined) return;
    setPage(next);
    setPageSize(size);
    start({ stream, ...last, from: (next - 1) * size, size, listOnly: true });
  };

  // Runs on the first visit and whenever the URL's stream or time changes (as the logs page).
  const runKey = [stream, period, params.get('from'), params.get('to')].join('|');
  const lastRun = useRef('');
  useEffect(() => {
    if (stream === '' || lastRun.current === runKey) return;
    lastRun.current = runKey;
    run();
  }, [runKey, stream, run]);

  const latestRun = useRef(run);
  latestRun.current = run;
  // Auto-refresh (`refresh=<seconds>`, as on the logs page): re-runs a relative range only.
  const refresh = Number(params.get('refresh') ?? '0');
  useEffect(() => {
    if (!(refresh > 0) || time.absolute) return;
    const timer = setInterval(() => latestRun.current(), refresh * 1000);
    return () => clearInterval(timer);
  }, [refresh, time.absolute]);
  useShortcuts(useMemo(() => ({ r: () => latestRun.current() }), []));

  const addClause = (clause: string) => {
    const next = andFilter(text, clause);
    setText(next);
    run(next);
  };
  const setStream = (value: string) => {
    const next = new URLSearchParams(params);
    next.set('stream', value);
    setParams(next);
  };
  // A shared link freezes the last Run's window (from/to), as O2's share does with a relative one.
  const [shared, setShared] = useState(false);
  const share = () => {
    const last = locked.current;
    const next = new URLSearchParams(params);
    if (last !== undefined) {
      next.set('from', String(last.window.start));
      next.set('to', String(last.window.end));
      next.delete('period');
    }
    const url = `${window.location.origin}${webBasename()}/traces?${next.toString()}`;
    void navigator.clipboard.writeText(url).then(() => setShared(true));
  };
  const resetFilters = () => {
    setText('');
    run('');
  };

  return (
    <div className="logs traces" data-test="traces-page">
      <div className="toolbar logs-toolbar" data-test="logs-search-bar">
        <Select
          dataTest="log-search-index-list-select-stream"
          ariaLabel="Stream"
          searchable
          value={stream}
          options={names.map((n) => ({ value: n, label: n }))}
          onChange={setStream}
        />
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
          onChange={(v) => {
            const next = new URLSearchParams(params);
            next.set('refresh', v);
            setParams(next, { replace: true });
          }}
        />
        <SyntaxGuide onPick={setText} />
        <button
          type="button"
          className="btn"
          data-test="traces-search-bar-reset-filters-btn"
          onClick={resetFilters}
        >
          Reset filters
        </button>
        <button
          type="button"
          className="btn"
          data-test="logs-search-bar-share-link-btn"
          onClick={share}
        >
          Share
        </button>
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
            data-test="traces-search-cancel-btn"
            onClick={cancel}
          >
            Cancel
          </button>
        )}
      </div>
      <Suspense fallback={<div className="code-editor" aria-busy="true" />}>
        <CodeEditor
          dataTest="traces-search-bar-query-editor"
          ariaLabel="Filter (SQL WHERE over span fields)"
          value={text}
          onChange={setText}
          onRun={() => run()}
          dark={dark}
        />
      </Suspense>
      <div className="logs-body">
        {stream !== '' && (
          <div className="traces-facets" data-test="traces-search-index-list">
            <FieldList
              stream={stream}
              fields={fields}
              range={range}
              onFilter={(field, value, negate) => addClause(equalsFilter(field, value, negate))}
              loadValues={(field) => tracesApi.values(org, stream, field, range(), ranFilter)}
              customBody={(field) =>
                field === 'duration' ? (
                  <DurationFacet
                    stream={stream}
                    filter={ranFilter}
                    range={range}
                    onFilter={addClause}
                  />
                ) : undefined
              }
            />
          </div>
        )}
        <section className="logs-results" data-test="logs-search-search-result">
          {streams.status === 'ready' && names.length === 0 && (
            <p data-test="traces-no-stream">No trace streams yet: send some spans first.</p>
          )}
          {shared && <Toast variant="success" message="Link copied" />}
          {result.status === 'error' && (
            <div data-test="traces-search-error-message">
              <Toast variant="error" message={result.error ?? 'search failed'} />
            </div>
          )}
          {result.status !== 'idle' && (
            <div
              className="result-summary"
              data-test="traces-search-result-summary"
              data-state={result.status}
            >
              <span data-test="traces-count-badge">{result.total}</span> traces ·{' '}
              <span data-test="traces-error-count-badge">
                {result.points.filter((p) => p.error).length}
              </span>{' '}
              with errors · {result.took} ms
              {result.status === 'cancelled' ? ' (cancelled)' : ''}
            </div>
          )}
          {result.points.length > 0 && (
            <DurationScatter
              points={result.points}
              dark={dark}
              timezone={timezone}
              onOpen={(p) =>
                void navigate(
                  traceDetailsPath(org, stream, p.traceId, {
                    startNs: p.startNs,
                    endNs: p.startNs + p.durationUs * 1000,
                  }),
                )
              }
              onZoom={(from, to) => time.setTimeRange({ type: 'absolute', from, to })}
            />
          )}
          {result.status !== 'idle' && (
            <>
              <TraceList org={org} stream={stream} hits={result.hits} timezone={timezone} />
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
    </div>
  );
}
