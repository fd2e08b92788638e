import type { ProductProcess } from '../product-process.js';

/** The holder ids a role process logged `elected leader` with for `lease`, oldest first. */
export function electedHolderIds(product: ProductProcess, lease: string): string[] {
  const ids: string[] = [];
  for (const line of product.output().split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line) as { msg?: unknown; lease?: unknown; holderId?: unknown };
      if (entry.msg === 'elected leader' && entry.lease === lease) ids.push(String(entry.holderId));
    } catch {
      // a partial line still being written
    }
  }
  return ids;
}

/** Polls `accept` every 50 ms until it holds; false when the deadline passed first. */
export async function pollUntil(accept: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!accept()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

/**
 * Sends `signal` and waits at most `timeoutMs` for the exit: the exit code (or signal name), or
 * `still running` when the process outlived the deadline (it is then SIGKILLed so nothing leaks).
 */
export async function stopWithin(
  product: ProductProcess,
  timeoutMs: number,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<number | string> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'still running'>((resolve) => {
    timer = setTimeout(() => resolve('still running'), timeoutMs);
  });
  const outcome = await Promise.race([product.stop(signal), late]);
  clearTimeout(timer);
  if (outcome === 'still running') await product.stop('SIGKILL');
  return outcome;
}
