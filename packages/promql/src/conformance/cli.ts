import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { locateCorpus } from '@o2/testing';
import { runConformance } from './runner.js';
import { formatReport, formatTable } from './report.js';
import { withTable } from './readme-table.js';

/**
 * `node dist/conformance/cli.js [dir] [--cases] [--file=functions.test ...] [--write-readme]`
 * prints the per-file score table (and failing cases). `--write-readme` also publishes the
 * table in packages/promql/README.md and the root README.md between their markers (`pnpm conformance:table`). Without
 * `dir`: `$O2_CONFORMANCE_DIR/promql`, else `../shared/conformance/promql` beside the repository.
 */
const args = process.argv.slice(2);
const given = args.find((a) => !a.startsWith('--'));
const files = args.filter((a) => a.startsWith('--file=')).map((a) => a.slice('--file='.length));
const corpus = locateCorpus('promql');
const dir = given ?? corpus.dir;
if (!existsSync(dir)) {
  process.stderr.write(
    given === undefined ? `${corpus.notFoundLine}\n` : `corpus not found at ${given}\n`,
  );
  process.exit(1);
}
const reports = await runConformance(dir, files.length > 0 ? files : undefined);
process.stdout.write(formatReport(reports, args.includes('--cases')) + '\n');
if (args.includes('--write-readme')) {
  if (files.length > 0) {
    process.stderr.write('--write-readme publishes the full run only; drop --file\n');
    process.exit(1);
  }
  // This package's README and the repository's: both publish the same table.
  const here = fileURLToPath(new URL('.', import.meta.url));
  for (const readme of [resolve(here, '../../README.md'), resolve(here, '../../../../README.md')]) {
    writeFileSync(readme, withTable(readFileSync(readme, 'utf8'), formatTable(reports)));
    process.stdout.write(`score table written to ${readme}\n`);
  }
}
