// Prints vitest's JSON results as one closing line: "tests: N passed, N failed, N skipped".
// Exits non-zero when the file is missing or nothing ran, so an empty run never looks green.
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
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (passed === 0) {
  console.error('no test passed: treating the run as failed');
  process.exit(1);
}
process.exit(failed > 0 ? 1 : 0);
