// Plain JS for the reason given in parquet-writer.js: encode-worker.js imports it.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * Renices the calling thread (a worker's) on Linux: /proc/thread-self is `<pid>/task/<tid>`,
 * and setpriority on a thread id renices only that thread, so background work (encodes, side
 * indexes) yields the CPU to queries and request handling. Elsewhere, or when not permitted,
 * the thread keeps the normal priority.
 *
 * @param {number | undefined} niceness
 */
export function reniceThisThread(niceness) {
  if (typeof niceness !== 'number') return;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, niceness);
  } catch {
    // Not Linux, or not permitted.
  }
}
