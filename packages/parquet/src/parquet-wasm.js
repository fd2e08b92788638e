// This thread's parquet-wasm instance, replaceable. Plain JS for the reason given in
// parquet-writer.js (the encoder worker loads it too).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { setTimeout } from 'node:timers';
import { compileFunction } from 'node:vm';

const require = createRequire(import.meta.url);
// The CommonJS build (package `exports`, condition `node`), run as a function of our own rather
// than through require(): require keeps every loaded module (its cache and the parent's
// `children`), so a dropped instance and its wasm memory would never be collected.
const ENTRY = require.resolve('parquet-wasm');
const load = compileFunction(readFileSync(ENTRY, 'utf8'), [
  'exports',
  'require',
  'module',
  '__filename',
  '__dirname',
]);

/** @returns {typeof import('parquet-wasm')} */
function freshInstance() {
  const module = { exports: {} };
  load(module.exports, require, module, ENTRY, dirname(ENTRY));
  return /** @type {typeof import('parquet-wasm')} */ (module.exports);
}

/** @type {typeof import('parquet-wasm') | undefined} */
let instance;
let uses = 0;
/** @type {NodeJS.Timeout | undefined} */
let idleCheck;

/** The current instance, loaded on first use. */
export function parquetWasm() {
  uses++;
  return (instance ??= freshInstance());
}

/**
 * Bytes of wasm linear memory the current instance holds (0 before the first use).
 * @returns {number}
 */
export function wasmMemoryBytes() {
  if (instance === undefined) return 0;
  /** @type {{ buffer: ArrayBuffer }} */
  const memory = instance.wasmMemory();
  return memory.buffer.byteLength;
}

/**
 * Once nothing used the instance for `idleMs` and its memory grew past `maxBytes`, drops it, so
 * the memory (which wasm never shrinks) is freed and the next use loads a fresh one (~40-90 ms:
 * V8 recompiles lazily). A burst of uses (a merge reading many files) keeps one instance.
 * Safe because no caller keeps a parquet-wasm object past its call.
 * @param {number} maxBytes
 * @param {number} idleMs
 */
export function releaseWhenIdle(maxBytes, idleMs) {
  if (idleCheck !== undefined || wasmMemoryBytes() < maxBytes) return;
  let seen = uses;
  const check = () => {
    if (uses !== seen) {
      seen = uses;
      idleCheck = setTimeout(check, idleMs).unref();
      return;
    }
    idleCheck = undefined;
    if (wasmMemoryBytes() < maxBytes) return;
    instance = undefined;
  };
  idleCheck = setTimeout(check, idleMs).unref();
}
