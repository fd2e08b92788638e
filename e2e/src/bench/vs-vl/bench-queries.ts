import { RARE_TERM, STREAM } from './bench-data.js';
import type { BenchServer } from './bench-servers.js';

/** How an answer is compared: one number, a key → count map, or the set of rows' timestamps. */
type AnswerKind = 'count' | 'groups' | 'rows';

export interface QueryCase {
  name: string;
  kind: AnswerKind;
  /** O2 SQL (O2TS `_search`). */
  sql: string;
  /** The same question in LogsQL (VictoriaLogs `/select/logsql/query`). */
  logsql: string;
  /** Minutes before the data's end the range starts; the whole hour when absent. */
  lastMinutes?: number;
  /** O2's result column / LogsQL field holding the group key, for `groups`. */
  key?: { o2: string; vl: string; time?: boolean };
}

const FROM = `"${STREAM}"`;

/** The table's queries, in the order. */
export const QUERY_CASES: readonly QueryCase[] = [
  {
    name: 'count(*)',
    kind: 'count',
    sql: `SELECT count(*) AS n FROM ${FROM}`,
    logsql: '* | stats count() n',
  },
  {
    name: `rare term (10 hits) count`,
    kind: 'count',
    sql: `SELECT count(*) AS n FROM ${FROM} WHERE match_all('${RARE_TERM}')`,
    logsql: `${RARE_TERM} | stats count() n`,
  },
  {
    name: 'rare term first 100 rows',
    kind: 'rows',
    sql: `SELECT * FROM ${FROM} WHERE match_all('${RARE_TERM}') ORDER BY _timestamp DESC LIMIT 100`,
    logsql: `${RARE_TERM} | sort by (_time desc) limit 100`,
  },
  {
    // O2's match_all is a case-insensitive substring test over the full-text fields.
    name: "common term ('error') count",
    kind: 'count',
    sql: `SELECT count(*) AS n FROM ${FROM} WHERE match_all('error')`,
    logsql: '~"(?i)error" | stats count() n',
  },
  {
    name: 'count by namespace',
    kind: 'groups',
    sql: `SELECT kubernetes_namespace_name AS k, count(*) AS n FROM ${FROM} GROUP BY k`,
    logsql: '* | stats by (kubernetes.namespace_name) count() n',
    key: { o2: 'k', vl: 'kubernetes.namespace_name' },
  },
  {
    name: 'histogram per minute',
    kind: 'groups',
    sql: `SELECT histogram(_timestamp, '1 minute') AS k, count(*) AS n FROM ${FROM} GROUP BY k`,
    logsql: '* | stats by (_time:1m) count() n',
    key: { o2: 'k', vl: '_time', time: true },
  },
  {
    name: 'last 15 min newest 100',
    kind: 'rows',
    sql: `SELECT * FROM ${FROM} ORDER BY _timestamp DESC LIMIT 100`,
    logsql: '* | sort by (_time desc) limit 100',
    lastMinutes: 15,
  },
  {
    name: '`code = 200` count',
    kind: 'count',
    sql: `SELECT count(*) AS n FROM ${FROM} WHERE code = 200`,
    logsql: 'code:=200 | stats count() n',
  },
];

export interface TimeWindow {
  startMicros: number;
  endMicros: number;
}

/** RFC 3339 with µs, the precision both sides store. */
function rfc3339(micros: number): string {
  const seconds = Math.floor(micros / 1_000_000);
  const fraction = String(micros - seconds * 1_000_000).padStart(6, '0');
  return `${new Date(seconds * 1000).toISOString().slice(0, 19)}.${fraction}Z`;
}

/** µs of an RFC 3339 text (VictoriaLogs' `_time`, up to ns) or of O2's naive timestamp. */
function microsOf(text: string): number {
  const match = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)?$/.exec(text);
  if (match === null) throw new Error(`not a timestamp: ${text}`);
  const seconds = Date.parse(`${match[1]}${match[3] ?? 'Z'}`) / 1000;
  const fraction = (match[2] ?? '').padEnd(6, '0').slice(0, 6);
  return seconds * 1_000_000 + Number(fraction);
}

function rangeOf(query: QueryCase, window: TimeWindow): TimeWindow {
  return query.lastMinutes === undefined
    ? window
    : {
        startMicros: window.endMicros - query.lastMinutes * 60_000_000,
        endMicros: window.endMicros,
      };
}

/** The answer in a form both sides print the same way: compared as text. */
function normalise(query: QueryCase, rows: Array<Record<string, unknown>>, side: 'o2' | 'vl') {
  if (query.kind === 'count') return String(Number(rows[0]?.['n'] ?? 0));
  if (query.kind === 'rows') {
    const times = rows.map((r) =>
      side === 'o2' ? Number(r['_timestamp']) : microsOf(String(r['_time'])),
    );
    return JSON.stringify(times.sort((a, b) => a - b));
  }
  const key = query.key as NonNullable<QueryCase['key']>;
  const entries = rows.map((r) => {
    const raw = r[side === 'o2' ? key.o2 : key.vl];
    const k = key.time === true ? String(microsOf(String(raw))) : JSON.stringify(raw ?? '');
    return [k, Number(r['n'])] as const;
  });
  return JSON.stringify(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export interface QueryResult {
  ms: number;
  answer: string;
}

/** Runs `query` on `server` over `window` ([start, end) µs) and times the HTTP round trip. */
export async function runQuery(
  server: BenchServer,
  query: QueryCase,
  window: TimeWindow,
): Promise<QueryResult> {
  const range = rangeOf(query, window);
  const started = performance.now();
  let rows: Array<Record<string, unknown>>;
  if (server.name !== 'VL') {
    const body = JSON.stringify({
      query: {
        sql: query.sql,
        start_time: range.startMicros,
        end_time: range.endMicros,
        from: 0,
        size: 10_000,
      },
    });
    const text = await server.post('/api/default/_search?type=logs', body, 'application/json');
    rows = (JSON.parse(text) as { hits: Array<Record<string, unknown>> }).hits;
  } else {
    // LogsQL's `end` is inclusive: the last µs of the half-open range.
    const form = new URLSearchParams({
      query: query.logsql,
      start: rfc3339(range.startMicros),
      end: rfc3339(range.endMicros - 1),
    }).toString();
    const text = await server.post(
      '/select/logsql/query',
      form,
      'application/x-www-form-urlencoded',
    );
    rows = text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }
  const ms = performance.now() - started;
  return { ms, answer: normalise(query, rows, server.name === 'VL' ? 'vl' : 'o2') };
}

/** Counts the records holding `token` (the ack → searchable probe). */
export async function countToken(
  server: BenchServer,
  token: string,
  window: TimeWindow,
): Promise<number> {
  const probe: QueryCase = {
    name: 'probe',
    kind: 'count',
    sql: `SELECT count(*) AS n FROM ${FROM} WHERE match_all('${token}')`,
    logsql: `${token} | stats count() n`,
  };
  return Number((await runQuery(server, probe, window)).answer);
}
