import type { FileReport } from './runner.js';

export interface Totals {
  evals: number;
  passed: number;
  failed: number;
  skipped: number;
  /** passed / evals: the share of ALL evals that pass (a skipped eval counts as not passed). */
  score: number;
}

export function totals(reports: readonly FileReport[]): Totals {
  const passed = reports.reduce((a, r) => a + r.passed, 0);
  const failed = reports.reduce((a, r) => a + r.failed, 0);
  const skipped = reports.reduce((a, r) => a + r.skipped, 0);
  const evals = passed + failed + skipped;
  return { evals, passed, failed, skipped, score: evals === 0 ? 0 : passed / evals };
}

function pct(passed: number, evals: number): string {
  return evals === 0 ? '-' : `${((100 * passed) / evals).toFixed(1)} %`;
}

/** The per-file score table (Markdown): evals, passed, failed, skipped, passed / evals. */
export function formatTable(reports: readonly FileReport[]): string {
  const lines = [
    '| file | evals | passed | failed | skipped | score |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const r of reports) {
    const evals = r.passed + r.failed + r.skipped;
    lines.push(
      `| ${r.file} | ${evals} | ${r.passed} | ${r.failed} | ${r.skipped} | ${pct(r.passed, evals)} |`,
    );
  }
  const t = totals(reports);
  lines.push(
    `| **total** | ${t.evals} | ${t.passed} | ${t.failed} | ${t.skipped} | ${pct(t.passed, t.evals)} |`,
  );
  return lines.join('\n');
}

/** The table, plus every failing and skipped case with its reason on request. */
export function formatReport(reports: readonly FileReport[], withCases: boolean): string {
  const lines = [formatTable(reports)];
  if (withCases) {
    for (const status of ['failed', 'skipped'] as const) {
      lines.push('', `${status}:`);
      for (const r of reports) {
        for (const c of r.cases) {
          if (c.status === status)
            lines.push(`- ${r.file}:${c.line} \`${c.expr}\` — ${c.reason ?? ''}`);
        }
      }
    }
  }
  return lines.join('\n');
}
