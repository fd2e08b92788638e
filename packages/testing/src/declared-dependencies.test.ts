import { readFileSync, readdirSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Product code may only import what its package.json lists under `dependencies`: a production
// tree (`pnpm deploy`, what the images copy) has no devDependencies, so an import that resolves
// in the workspace only through a devDependency crashes the role at start in a container.
// Tests, test-support, contract suites, benches and the conformance runner are dev-only.
const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const DEV_ONLY = /(\.test\.ts|\.contract\.ts)$|\/(test-support|contract|bench|conformance)\//;
// Not after `.` or a word character: `Buffer.from('…')` is a call, not an import.
const IMPORT =
  /(?<![.\w$])(?:from|import)\s*\(?\s*'((?:@[a-z0-9-]+\/)?[a-z0-9][a-z0-9.-]*)([^']*)'/g;

function sources(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'gen') sources(path, out);
    } else if (entry.name.endsWith('.ts') && !DEV_ONLY.test(path)) out.push(path);
  }
  return out;
}

function undeclaredImports(packageDir: string): string[] {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
    name: string;
    dependencies?: Record<string, string>;
  };
  const declared = new Set([manifest.name, ...Object.keys(manifest.dependencies ?? {})]);
  const problems: string[] = [];
  for (const file of sources(join(packageDir, 'src'))) {
    // Type-only imports are erased by the compiler: they need no run-time dependency.
    const code = readFileSync(file, 'utf8').replace(/^(?:import|export) type [^;]*;/gms, '');
    for (const match of code.matchAll(IMPORT)) {
      const name = match[1] ?? '';
      if (isBuiltin(`${name}${match[2] ?? ''}`)) continue;
      if (!declared.has(name))
        problems.push(
          `${relative(REPO_ROOT, file)} imports ${name}, not in ${manifest.name}'s dependencies`,
        );
    }
  }
  return problems;
}

describe('declared dependencies', () => {
  it('product code of every package and role imports only its declared dependencies', () => {
    const dirs = ['packages', 'services'].flatMap((group) =>
      readdirSync(join(REPO_ROOT, group), { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => join(REPO_ROOT, group, e.name)),
    );
    const problems = dirs.filter((d) => {
      try {
        readFileSync(join(d, 'package.json'));
        readdirSync(join(d, 'src'));
        return true;
      } catch {
        return false;
      }
    });
    expect(problems.length).toBeGreaterThan(20);
    expect(problems.flatMap(undeclaredImports)).toEqual([]);
  });
});
