import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
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
    const config = (await eslint.calculateConfigForFile(
      join(repoRoot, 'services/ingester/src/fixture.ts'),
    )) as { rules: Record<string, [unknown, { max: number }]> };
    const max = config.rules['max-lines']?.[1].max;
    expect(max).toBeGreaterThan(0);
    const padding = '\n'.repeat(Number(max));
    const long = await lintAs('clean.ts', 'services/ingester/src/fixture.ts', padding);
    expect(long).toEqual([expect.objectContaining({ ruleId: 'max-lines' })]);
    const longTest = await lintAs('clean.ts', 'services/ingester/src/fixture.test.ts', padding);
    expect(longTest).toEqual([]);
  });

  it('passes a clean role file and the standalone composition root', async () => {
    expect(await lintAs('clean.ts', 'services/router/src/fixture.ts')).toEqual([]);
    expect(await lintAs('composition-root.ts', 'services/standalone/src/main.ts')).toEqual([]);
  });
});
