import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { beforeAll, describe, expect, it } from 'vitest';

// Lints the deliberate violations in ../fixtures with the repository's own eslint.config.js, each
// placed (through lintText's filePath) where the rule must apply. The fixtures are virtual files
// for the type-aware parser, so only type-aware parsing is switched off; the layer rules are
// syntactic and come from the project config unchanged.
const here = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = resolve(here, '../../..');
const fixtures = resolve(here, '../fixtures');

let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({
    cwd: repoRoot,
    overrideConfig: [
      {
        ...tseslint.configs.disableTypeChecked,
        languageOptions: { parserOptions: { projectService: false, project: null } },
      },
    ],
  });
});

interface Finding {
  ruleId: string | null;
  message: string;
}

async function lintAs(fixture: string, filePath: string, extra = ''): Promise<Finding[]> {
  const code = (await readFile(join(fixtures, fixture), 'utf8')) + extra;
  const [result] = await eslint.lintText(code, { filePath: join(repoRoot, filePath) });
  if (result === undefined) throw new Error(`eslint returned no result for ${filePath}`);
  return result.messages.map((m) => ({ ruleId: m.ruleId, message: m.message }));
}

/** Line count as `wc -l` and eslint's max-lines see it (a final newline ends the last line). */
function countLines(text: string): number {
  const newlines = text.split('\n').length - 1;
  return text.endsWith('\n') || text === '' ? newlines : newlines + 1;
}

/** The longest product source file (tests, test-support and generated proto code excluded). */
function largestProductFile(): { file: string; lines: number } {
  let largest = { file: '', lines: 0 };
  for (const tier of ['packages', 'services']) {
    for (const pkg of readdirSync(join(repoRoot, tier))) {
      const src = join(repoRoot, tier, pkg, 'src');
      if (!existsSync(src)) continue;
      for (const rel of readdirSync(src, { recursive: true, encoding: 'utf8' })) {
        const file = relative(repoRoot, join(src, rel)).split(sep).join('/');
        if (!/\.(ts|js)$/.test(file) || file.endsWith('.d.ts') || file.endsWith('.test.ts'))
          continue;
        if (file.includes('/test-support/') || file.startsWith('packages/proto/src/gen/')) continue;
        const lines = countLines(readFileSync(join(repoRoot, file), 'utf8'));
        if (lines > largest.lines) largest = { file, lines };
      }
    }
  }
  return largest;
}

async function maxLinesFor(filePath: string): Promise<number | undefined> {
  const config = (await eslint.calculateConfigForFile(join(repoRoot, filePath))) as {
    rules: Record<string, [unknown, { max: number }] | undefined>;
  };
  return config.rules['max-lines']?.[1].max;
}

describe('layer rules (eslint on fixtures)', () => {
  it('reports a role importing another role', async () => {
    const found = await lintAs('role-imports-role.ts', 'services/router/src/fixture.ts');
    expect(found).toEqual([
      expect.objectContaining({
        ruleId: 'no-restricted-imports',
        message: expect.stringContaining('A role never imports another role') as string,
      }),
    ]);
  });

  it('reports a package importing a role', async () => {
    const found = await lintAs('package-imports-role.ts', 'packages/search/src/fixture.ts');
    expect(found).toEqual([
      expect.objectContaining({
        ruleId: 'no-restricted-imports',
        message: expect.stringContaining('A package never imports a role') as string,
      }),
    ]);
  });

  it('reports product code importing the dev-only @o2/testing, but not a test', async () => {
    const found = await lintAs('product-imports-testing.ts', 'packages/metastore/src/fixture.ts');
    expect(found).toEqual([
      expect.objectContaining({
        ruleId: 'no-restricted-imports',
        message: expect.stringContaining('@o2/testing is a dev-only harness') as string,
      }),
    ]);
    expect(await lintAs('product-imports-testing.ts', 'packages/metastore/src/x.test.ts')).toEqual(
      [],
    );
  });

  it('reports process.env read outside main.ts, as a property and as an import', async () => {
    const property = await lintAs('env-outside-main.ts', 'services/querier/src/fixture.ts');
    expect(property).toEqual([expect.objectContaining({ ruleId: 'no-restricted-properties' })]);
    const imported = await lintAs('env-import-outside-main.ts', 'packages/storage/src/fixture.ts');
    expect(imported).toEqual([expect.objectContaining({ ruleId: 'no-restricted-syntax' })]);
  });

  it('reports @o2/domain importing a package above it', async () => {
    const found = await lintAs('domain-imports-higher.ts', 'packages/domain/src/fixture.ts');
    expect(found).toEqual([
      expect.objectContaining({
        ruleId: 'no-restricted-imports',
        message: expect.stringContaining('@o2/domain is at the bottom of the layering') as string,
      }),
    ]);
  });

  it('reports a product file longer than the ratchet, but not a test file', async () => {
    const max = await maxLinesFor('services/ingester/src/fixture.ts');
    expect(max).toBeGreaterThan(0);
    const padding = '\n'.repeat(Number(max));
    const long = await lintAs('clean.ts', 'services/ingester/src/fixture.ts', padding);
    expect(long).toEqual([expect.objectContaining({ ruleId: 'max-lines' })]);
    const longTest = await lintAs('clean.ts', 'services/ingester/src/fixture.test.ts', padding);
    expect(longTest).toEqual([]);
  });

  it('keeps the size ratchet at the largest product file, so it only ever goes down', async () => {
    const largest = largestProductFile();
    const max = await maxLinesFor('packages/domain/src/fixture.ts');
    // When this fails after a big file was split, lower MAX_PRODUCT_FILE_LINES in
    // packages/eslint-config/layers.js to the figure printed here.
    expect({ ratchet: max, largest: largest.lines, file: largest.file }).toEqual({
      ratchet: largest.lines,
      largest: largest.lines,
      file: largest.file,
    });
  });

  it('passes a clean role file and the standalone composition root', async () => {
    expect(await lintAs('clean.ts', 'services/router/src/fixture.ts')).toEqual([]);
    expect(await lintAs('composition-root.ts', 'services/standalone/src/main.ts')).toEqual([]);
  });
});
