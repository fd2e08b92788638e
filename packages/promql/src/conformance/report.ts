import type { FileReport } from './runner.js';

export interface Totals {
  passed: number;
  failed: number;
  skipped: number;
  /** passed / (passed + failed): the share of non-native-histogram evals that pass. */
  passRate: number;
}

export function totals(reports: readonly FileReport[]): Totals {
  const passed = reports.reduce((a, r) => a + r.passed, 0);
  const failed = reports.reduce((a, r) => a + r.failed, 0);
  const skipped = reports.reduce((a, r) => a + r.skipped, 0);
  return {
    passed,
    failed,
    skipped,
    passRate: passed + failed === 0 ? 1 : passed / (passed + failed),
  };
}

function pct(passed: number, failed: number): string {
  return passed + failed === 0 ? '-' : `${((100 * passed) / (passed + failed)).toFixed(1)} %`;
}

/** Markdown table per file, plus every failing and skipped case with its reason on request. */
export function formatReport(reports: readonly FileReport[], withCases: boolean): string {
  const lines = ['| file | passed | failed | skipped | pass rate |', '|---|---:|---:|---:|---:|'];
  for (const r of reports)
    lines.push(
      `| ${r.file} | ${r.passed} | ${r.failed} | ${r.skipped} | ${pct(r.passed, r.failed)} |`,
    );
  const t = totals(reports);
  lines.push(
    `| **total** | ${t.passed} | ${t.failed} | ${t.skipped} | ${pct(t.passed, t.failed)} |`,
  );
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
