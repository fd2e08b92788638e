import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Names the folder that holds the conformance corpora (`promql/`, `vrl/`). */
export const CONFORMANCE_DIR_ENV = 'O2_CONFORMANCE_DIR';

/** Every "corpus not found" line starts with this, so the test summary can collect them. */
export const CORPUS_NOT_FOUND_MARKER = '[conformance]';

export interface CorpusLocation {
  /** Absolute path of the suite's corpus folder (e.g. `<root>/promql`). */
  dir: string;
  found: boolean;
  /** One line for the test output when the corpus is missing. */
  notFoundLine: string;
}

/**
 * Where the corpus of `suite` lives: `$O2_CONFORMANCE_DIR/<suite>` when the variable is set,
 * else `../shared/conformance/<suite>` beside the repository (the layout CI checks out). The
 * corpora are third-party test scripts that are not part of this repository, so a clone without
 * them still runs `pnpm test` — with the suite reported as skipped, never as passed.
 */
export function locateCorpus(
  suite: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): CorpusLocation {
  const fromEnv = env[CONFORMANCE_DIR_ENV];
  // src/ and dist/ of this package are both three levels below the repository root.
  const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
  const root =
    fromEnv !== undefined && fromEnv !== ''
      ? resolve(fromEnv)
      : resolve(repoRoot, '../shared/conformance');
  const dir = resolve(root, suite);
  const found = existsSync(dir) && statSync(dir).isDirectory();
  return {
    dir,
    found,
    notFoundLine:
      `${CORPUS_NOT_FOUND_MARKER} ${suite}: corpus not found at ${dir}; skipped ` +
      `(set ${CONFORMANCE_DIR_ENV}=/path/to/conformance, the folder holding ${suite}/, to run it)`,
  };
}
