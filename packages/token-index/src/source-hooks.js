// Module hooks that let a worker thread run this repo's TypeScript straight from src/, as
// vitest runs the rest of it: Node 20 cannot load .ts, and a worker does not go through vite.
// Only a pool whose own module is a .ts file (i.e. under vitest) registers them; from dist/ the
// workers load compiled JS and these hooks are never used. Plain JS, as they must load first.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TextDecoder } from 'node:util';
import { transform } from 'esbuild';

/** Export condition of the workspace packages that points at their src/ (see vitest.config.ts). */
const SOURCE_CONDITION = '@o2/source';

/**
 * @param {string} specifier
 * @param {{ conditions: string[], parentURL?: string }} context
 * @param {(specifier: string, context: object) => Promise<object>} next
 */
export async function resolve(specifier, context, next) {
  const sourceContext = { ...context, conditions: [SOURCE_CONDITION, ...context.conditions] };
  // Our TS imports name the compiled `.js`; from a `.ts` file that means the `.ts` beside it.
  if (
    specifier.startsWith('.') &&
    specifier.endsWith('.js') &&
    context.parentURL?.endsWith('.ts')
  ) {
    const asTs = new URL(`${specifier.slice(0, -3)}.ts`, context.parentURL);
    if (existsSync(fileURLToPath(asTs))) return next(asTs.href, sourceContext);
  }
  return next(specifier, sourceContext);
}

/**
 * @param {string} url
 * @param {{ format?: string }} context
 * @param {(url: string, context: object) => Promise<{ source?: string | ArrayBuffer | Uint8Array }>} next
 */
export async function load(url, context, next) {
  if (!url.endsWith('.ts')) return next(url, context);
  const { source } = await next(url, { ...context, format: 'module' });
  const text = typeof source === 'string' ? source : new TextDecoder().decode(source);
  // esbuild strips types per file (tens of µs each); TypeScript's own transpiler would cost
  // ~2 s of CPU per worker start.
  const { code } = await transform(text, {
    loader: 'ts',
    format: 'esm',
    target: 'node20',
    sourcefile: fileURLToPath(url),
  });
  return { format: 'module', source: code, shortCircuit: true };
}
