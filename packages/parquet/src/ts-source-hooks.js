// Module hooks that let a worker thread started from src/ (under vitest, which does not
// transform code in worker threads) import this repo's TypeScript sources: `./x.js` written in a
// .ts file resolves to `./x.ts` when only that exists, workspace packages resolve through their
// `@o2/source` export condition (as vitest.config.ts does), and .ts files are stripped of their
// types by esbuild. From dist/ the compiled .js files exist and these hooks are never registered.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const SOURCE_CONDITION = '@o2/source';

/**
 * @param {string} specifier
 * @param {{ parentURL?: string, conditions: string[] }} context
 * @param {(specifier: string, context: object) => Promise<{ url: string }>} next
 */
export async function resolve(specifier, context, next) {
  const parent = context.parentURL;
  if (parent === undefined || !parent.endsWith('.ts')) return next(specifier, context);
  if (specifier.startsWith('.') && specifier.endsWith('.js')) {
    const ts = new URL(`${specifier.slice(0, -3)}.ts`, parent);
    if (existsSync(fileURLToPath(ts))) return { url: ts.href, shortCircuit: true };
  }
  return next(specifier, { ...context, conditions: [...context.conditions, SOURCE_CONDITION] });
}

/**
 * @param {string} url
 * @param {object} context
 * @param {(url: string, context: object) => Promise<object>} next
 */
export async function load(url, context, next) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return next(url, context);
  // Only ever needed from src/ (a dev dependency); dist/ never loads this file.
  const { transform } = await import('esbuild');
  const source = await readFile(fileURLToPath(url), 'utf8');
  const { code } = await transform(source, {
    loader: 'ts',
    format: 'esm',
    target: 'node20',
    sourcefile: fileURLToPath(url),
    sourcemap: 'inline',
  });
  return { format: 'module', source: code, shortCircuit: true };
}
