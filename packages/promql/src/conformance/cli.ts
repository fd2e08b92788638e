import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runConformance } from './runner.js';
import { formatReport } from './report.js';

/** `node dist/conformance/cli.js [dir] [--cases]` prints the score table (and failing cases). */
const here = fileURLToPath(new URL('.', import.meta.url));
const dir =
  process.argv.slice(2).find((a) => !a.startsWith('--')) ??
  resolve(here, '../../../../../shared/conformance/promql');
const reports = await runConformance(dir);
process.stdout.write(formatReport(reports, process.argv.includes('--cases')) + '\n');
