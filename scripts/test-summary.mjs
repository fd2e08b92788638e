// Prints vitest's JSON results as one closing line: "tests: N passed, N failed, N skipped",
// after the 15 slowest test files.
// Exits non-zero when the file is missing or nothing ran, so an empty run never looks green.
// Before it, one line per conformance suite that was skipped for want of its corpus: such a
// suite registers its tests as skipped under a title starting with "[conformance]" (see
// packages/testing/src/conformance-corpus.ts), and that title says how to point at a corpus.
import { readFileSync } from 'node:fs';

const path = process.argv[2];
let results;
try {
  results = JSON.parse(readFileSync(path, 'utf8'));
} catch (error) {
  console.error(`no vitest results at ${path}: ${String(error)}`);
  process.exit(1);
}
const passed = results.numPassedTests ?? 0;
const failed = (results.numFailedTests ?? 0) + (results.numRuntimeErrorTestSuites ?? 0);
const skipped = (results.numPendingTests ?? 0) + (results.numTodoTests ?? 0);
const missingCorpora = new Set();
for (const file of results.testResults ?? []) {
  for (const test of file.assertionResults ?? []) {
    if (test.status !== 'skipped' && test.status !== 'pending') continue;
    const title = (test.ancestorTitles ?? []).find((t) => t.startsWith('[conformance]'));
    if (title !== undefined) missingCorpora.add(title);
  }
}
for (const line of missingCorpora) console.log(line);
// The slowest files, so every run says where the suite's wall time goes (its aim: 20 minutes
// for the whole of `pnpm test` on 2 cores). Vitest's JSON times a file from its first test, so
// time spent in beforeAll hooks (servers, image builds) is not in these figures; the default
// reporter's per-file lines above have it.
const slowest = (results.testResults ?? [])
  .map((file) => ({
    name: file.name ?? '?',
    seconds: ((file.endTime ?? 0) - (file.startTime ?? 0)) / 1000,
  }))
  .sort((a, b) => b.seconds - a.seconds)
  .slice(0, 15);
if (slowest.length > 0) {
  const cwd = process.cwd() + '/';
  console.log('slowest test files (s, from their first test; beforeAll hooks not counted):');
  for (const { name, seconds } of slowest)
    console.log(
      `${seconds.toFixed(1).padStart(8)}  ${name.startsWith(cwd) ? name.slice(cwd.length) : name}`,
    );
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (passed === 0) {
  console.error('no test passed: treating the run as failed');
  process.exit(1);
}
process.exit(failed > 0 ? 1 : 0);
