export { startAll, stopAll } from './lifecycle.js';
export type { Lifecycle } from './lifecycle.js';
export { runUntilSignal } from './run-until-signal.js';
export type { RunOptions } from './run-until-signal.js';
export { runMain } from './run-main.js';
