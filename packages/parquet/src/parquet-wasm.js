// This thread's parquet-wasm instance, replaceable. Plain JS for the reason given in
// parquet-writer.js (the encoder worker loads it too).
import { createRequire } from 'node:module';
import { setTimeout } from 'node:timers';

const require = createRequire(import.meta.url);
// The CommonJS build (package `exports`, condition `node`): a module instance per load.
const ENTRY = require.resolve('parquet-wasm');

/** @type {typeof import('parquet-wasm') | undefined} */
let instance;
let uses = 0;
/** @type {NodeJS.Timeout | undefined} */
let idleCheck;

/** The current instance, loaded on first use. */
export function parquetWasm() {
  uses++;
  return (instance ??= /** @type {typeof import('parquet-wasm')} */ (require(ENTRY)));
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
    delete require.cache[ENTRY];
    instance = undefined;
  };
  idleCheck = setTimeout(check, idleMs).unref();
}
