import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// A clone must pass `pnpm test` on its own: no test, bench or doc may lean on files outside the
// repository. The only outside folder the code may name is the conformance corpus, and only
// where it is looked up (and reported as skipped when missing).
const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const SKIP_DIRS = new Set(['node_modules', 'dist', '.git', '.turbo', 'coverage', 'data']);
const CODE = /\.(ts|mts|cts|js|mjs|cjs|sh|json|yaml|yml)$/;
const THIS_FILE = 'packages/testing/src/self-contained.test.ts';
/** The files that may name ../shared: the corpus lookup, its test and its CLI; the chart values lookup. */
const CORPUS_LOOKUP = new Set([
  'packages/promql/src/conformance/cli.ts',
  'packages/testing/src/conformance-corpus.ts',
  'packages/testing/src/conformance-corpus.test.ts',
  // The chart tests prefer the user's original article values (../shared/values) and fall back
  // to the repository's copy in charts/test-values, so they pass without ../shared too.
  'e2e/src/helm/test-support/helm.ts',
]);

function repoFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) repoFiles(join(dir, entry.name), out);
    } else if (entry.isFile() && (CODE.test(entry.name) || entry.name.endsWith('.md'))) {
      out.push(relative(REPO_ROOT, join(dir, entry.name)));
    }
  }
  return out;
}

/** Every `file:line: text` where `pattern` matches, for files `scan` accepts. */
function findings(pattern: RegExp, scan: (file: string) => boolean): string[] {
  const found: string[] = [];
  for (const file of repoFiles(REPO_ROOT)) {
    if (file === THIS_FILE || !scan(file)) continue;
    readFileSync(join(REPO_ROOT, file), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (pattern.test(line)) found.push(`${file}:${i + 1}: ${line.trim()}`);
      });
  }
  return found;
}

describe('the repository is self-contained', () => {
  it('walks the source tree', () => {
    const files = repoFiles(REPO_ROOT);
    expect(files).toContain('README.md');
    expect(files).toContain(THIS_FILE);
    expect(files.filter((f) => f.startsWith('e2e/src/')).length).toBeGreaterThan(3);
  });

  it('reads no sample data or absolute workspace path from outside the repository', () => {
    expect(findings(/shared\/data|\/work\/shared/, () => true)).toEqual([]);
  });

  it('names ../shared in code only where the conformance corpus is looked up', () => {
    expect(
      findings(/\.\.\/shared\b|shared\/conformance/, (f) => CODE.test(f) && !CORPUS_LOOKUP.has(f)),
    ).toEqual([]);
  });

  it('links no document to a file outside the repository', () => {
    expect(findings(/\]\(\.\.\/shared/, (f) => f.endsWith('.md'))).toEqual([]);
  });
});
