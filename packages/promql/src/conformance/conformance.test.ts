import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { locateCorpus } from '@o2/testing';
import { publishedTable } from './readme-table.js';
import { formatReport, formatTable, totals } from './report.js';
import { runConformance } from './runner.js';
import type { FileReport } from './runner.js';

const packageDir = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const corpus = locateCorpus('promql');
// Iterating on one area: O2_PROMQL_CONFORMANCE_FILES=functions.test,histograms.test runs only
// those files (the ratchet and README checks then need the full run and are skipped).
const only = process.env['O2_PROMQL_CONFORMANCE_FILES']
  ?.split(',')
  .map((f) => f.trim())
  .filter((f) => f !== '');
const fullRun = only === undefined || only.length === 0;
// Without the corpus the suite is registered as skipped under the "not found" line (which
// scripts/test-summary.mjs repeats at the end of `pnpm test`), so it can never count as passed.
if (!corpus.found) process.stderr.write(`${corpus.notFoundLine}\n`);
const suite = corpus.found ? describe : describe.skip;
const baseline = JSON.parse(
  readFileSync(resolve(packageDir, 'conformance-baseline.json'), 'utf8'),
) as { passed: number; minScore: number };

suite(corpus.found ? 'Prometheus conformance corpus' : corpus.notFoundLine, () => {
  let reports: FileReport[];

  beforeAll(async () => {
    reports = await runConformance(corpus.dir, fullRun ? undefined : only);
    process.stdout.write(`\nPromQL conformance (${corpus.dir}):\n${formatTable(reports)}\n`);
  });

  it.runIf(fullRun)('passes at least 98 % of ALL evals and the committed ratchet', () => {
    const t = totals(reports);
    const report = formatReport(reports, true);
    expect(reports.length, report).toBeGreaterThanOrEqual(13);
    expect(t.evals, report).toBe(1052);
    expect(t.score, report).toBeGreaterThanOrEqual(baseline.minScore);
    expect(t.passed, report).toBeGreaterThanOrEqual(baseline.passed);
  });

  it.runIf(fullRun)('both READMEs publish the current score table (pnpm conformance:table)', () => {
    for (const dir of [packageDir, resolve(packageDir, '../..')]) {
      const readme = readFileSync(resolve(dir, 'README.md'), 'utf8');
      expect(
        publishedTable(readme),
        `${dir}/README.md table is stale: run \`pnpm --filter @o2/promql conformance:table\``,
      ).toBe(formatTable(reports));
    }
  });

  it('gives a reason for every failed or skipped case', () => {
    for (const r of reports) {
      for (const c of r.cases) {
        if (c.status === 'passed') continue;
        expect(c.reason, `${r.file}:${c.line}`).toBeTruthy();
      }
    }
  });
});
