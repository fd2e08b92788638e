import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatReport, totals } from './report.js';
import { runConformance } from './runner.js';
import type { FileReport } from './runner.js';

const packageDir = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
// The corpus lives in the workspace's shared/ folder, a sibling of the repository root.
const corpusDir = resolve(packageDir, '../../../shared/conformance/promql');
const baseline = JSON.parse(
  readFileSync(resolve(packageDir, 'conformance-baseline.json'), 'utf8'),
) as {
  passed: number;
  passRate: number;
};

describe('Prometheus conformance corpus', () => {
  let reports: FileReport[];

  beforeAll(async () => {
    expect(existsSync(corpusDir), `corpus not found at ${corpusDir}`).toBe(true);
    reports = await runConformance(corpusDir);
  });

  it('passes at least the committed baseline of non-native-histogram evals', () => {
    const t = totals(reports);
    const report = formatReport(reports, true);
    expect(reports.length, report).toBeGreaterThanOrEqual(13);
    expect(t.passRate, report).toBeGreaterThanOrEqual(baseline.passRate);
    expect(t.passed, report).toBeGreaterThanOrEqual(baseline.passed);
  });

  it('gives a reason for every failed or skipped case, and skips only native-histogram cases', () => {
    for (const r of reports) {
      for (const c of r.cases) {
        if (c.status === 'passed') continue;
        expect(c.reason, `${r.file}:${c.line}`).toBeTruthy();
        if (c.status === 'skipped') expect(c.reason).toMatch(/^native histogram:/);
      }
    }
  });
});
