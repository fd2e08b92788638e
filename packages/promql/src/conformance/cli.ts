import { existsSync } from 'node:fs';
import { locateCorpus } from './corpus-dir.js';
import { runConformance } from './runner.js';
import { formatReport } from './report.js';

/**
 * `node dist/conformance/cli.js [dir] [--cases]` prints the score table (and failing cases).
 * Without `dir`: `$O2_CONFORMANCE_DIR/promql`, else `../shared/conformance/promql` beside the
 * repository.
 */
const given = process.argv.slice(2).find((a) => !a.startsWith('--'));
const corpus = locateCorpus('promql');
const dir = given ?? corpus.dir;
if (!existsSync(dir)) {
  process.stderr.write(
    given === undefined ? `${corpus.notFoundLine}\n` : `corpus not found at ${given}\n`,
  );
  process.exit(1);
}
const reports = await runConformance(dir);
process.stdout.write(formatReport(reports, process.argv.includes('--cases')) + '\n');
