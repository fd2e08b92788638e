/** One line of the side-by-side table: O2TS's figure, VictoriaLogs', their ratio. */
export interface Row {
  metric: string;
  o2: number;
  vl: number;
  digits?: number;
  note?: string;
}

export function printTable(rows: readonly Row[]): void {
  console.log('| metric | O2TS | VictoriaLogs 1.52.2 | O2TS ÷ VL |');
  console.log('|---|---:|---:|---:|');
  for (const row of rows) {
    const d = row.digits ?? 1;
    const ratio = row.o2 / row.vl;
    console.log(
      `| ${row.metric} | ${row.o2.toFixed(d)} | ${row.vl.toFixed(d)} | ${ratio.toFixed(2)}${row.note === undefined ? '' : ` (${row.note})`} |`,
    );
  }
}

/** The cluster's figures: measured, or why there are none. */
export type ClusterOutcome =
  | {
      measured: true;
      /** One round trip through the router (median `/healthz`), ms. */
      rttMs: number;
      rows: Array<{ query: string; single: number; cluster: number }>;
      note: string;
    }
  | { measured: false; reason: string };

/** A query passes when the cluster answered it within the single node's time plus one RTT. */
const clusterOk = (r: { single: number; cluster: number }, rtt: number) =>
  r.cluster <= r.single + rtt;

export function printClusterTable(outcome: ClusterOutcome, queries: readonly string[]): void {
  console.log(
    '\n| query (ms, medians) | single node | cluster | one RTT | cluster ≤ single + RTT |',
  );
  console.log('|---|---:|---:|---:|---|');
  if (!outcome.measured) {
    for (const query of queries) console.log(`| ${query} | - | FAILED | - | FAILED |`);
    console.log(`\nCLUSTER FAILED: ${outcome.reason}`);
    return;
  }
  const rtt = outcome.rttMs;
  for (const r of outcome.rows) {
    const verdict = Number.isNaN(r.cluster) ? 'FAILED' : clusterOk(r, rtt) ? 'yes' : 'NO';
    console.log(
      `| ${r.query} | ${r.single.toFixed(1)} | ${r.cluster.toFixed(1)} | ${rtt.toFixed(1)} | ${verdict} |`,
    );
  }
  console.log(`\n${outcome.note}`);
}

/** The figures issue 16's "Done when" lines judge. */
export interface VerdictInput {
  searchRows: readonly Row[];
  ingest: Row;
  peakRss: Row;
  storage: Row;
  freshness: Row;
  o2UnderIngest: { aloneP50: number; loadedP50: number; loadedP99: number; keptPercent: number };
  cluster: ClusterOutcome;
  mismatches: readonly string[];
}

interface Verdict {
  pass: boolean;
  criterion: string;
  detail: string;
}

const f = (n: number, d = 2) => (Number.isNaN(n) ? 'not measured' : n.toFixed(d));

export function verdicts(input: VerdictInput): Verdict[] {
  const ratio = (row: Row) => row.o2 / row.vl;
  const slowSearch = input.searchRows.filter((row) => !(ratio(row) <= 1));
  const u = input.o2UnderIngest;
  const loadedRatio = u.loadedP50 / u.aloneP50;
  const out: Verdict[] = [
    {
      pass: slowSearch.length === 0,
      criterion: 'every search row O2TS ÷ VL ≤ 1.0',
      detail:
        slowSearch.length === 0
          ? `all ${input.searchRows.length} rows`
          : `failing: ${slowSearch.map((r) => `${r.metric.replace(/ \(ms\)$/, '')} ${f(ratio(r))}`).join('; ')}`,
    },
    {
      pass: ratio(input.ingest) >= 1,
      criterion: 'ingest ≥ 1.0× VL',
      detail: `${f(ratio(input.ingest))}×`,
    },
    {
      pass: ratio(input.peakRss) <= 2,
      criterion: 'peak RSS ≤ 2× VL',
      detail: `${f(ratio(input.peakRss))}×`,
    },
    {
      pass: input.storage.o2 < input.storage.vl,
      criterion: 'storage smaller than VL',
      detail: `${f(input.storage.o2)} % vs ${f(input.storage.vl)} % of raw`,
    },
    {
      pass: input.freshness.o2 < input.freshness.vl,
      criterion: 'freshness (ack → searchable) faster than VL',
      detail: `${f(input.freshness.o2, 0)} vs ${f(input.freshness.vl, 0)} ms`,
    },
    {
      pass: loadedRatio <= 1.5,
      criterion: 'search p50 under ingest ≤ 1.5× p50 alone',
      detail: `${f(u.loadedP50, 0)} vs ${f(u.aloneP50, 0)} ms = ${f(loadedRatio)}×`,
    },
    {
      pass: u.loadedP99 <= 2000,
      criterion: 'search p99 under ingest ≤ 2 s',
      detail: `${f(u.loadedP99, 0)} ms`,
    },
    {
      pass: u.keptPercent >= 80,
      criterion: 'ingest under search keeps ≥ 80 %',
      detail: `${f(u.keptPercent, 0)} %`,
    },
    clusterVerdict(input.cluster),
    {
      pass: input.mismatches.length === 0,
      criterion: 'answers equal (VL and cluster vs single node)',
      detail: input.mismatches.length === 0 ? 'every query' : `${input.mismatches.length} differ`,
    },
  ];
  return out;
}

function clusterVerdict(outcome: ClusterOutcome): Verdict {
  const criterion = 'cluster ≤ single + one RTT, per query';
  if (!outcome.measured)
    return { pass: false, criterion, detail: `FAILED: ${firstLine(outcome.reason)}` };
  const bad = outcome.rows.filter((r) => !clusterOk(r, outcome.rttMs));
  return {
    pass: bad.length === 0,
    criterion,
    detail:
      bad.length === 0
        ? `all ${outcome.rows.length} queries (RTT ${outcome.rttMs.toFixed(1)} ms)`
        : `failing: ${bad.map((r) => `${r.query} ${f(r.cluster, 1)} > ${f(r.single, 1)} + ${outcome.rttMs.toFixed(1)}`).join('; ')}`,
  };
}

const firstLine = (text: string) => text.split('\n')[0] ?? '';

export function printChecklist(list: readonly Verdict[]): void {
  const passed = list.filter((v) => v.pass).length;
  console.log(`\nissue 16 "Done when" checklist: ${passed} of ${list.length} PASS`);
  for (const v of list) console.log(`- [${v.pass ? 'PASS' : 'FAIL'}] ${v.criterion}: ${v.detail}`);
}
