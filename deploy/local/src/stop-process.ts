import { isAlive } from './cluster-state.js';

const POLL_MS = 100;

/**
 * SIGTERM, then SIGKILL once `graceMs` has passed; resolves when the pid is gone (or after a
 * last few seconds when even SIGKILL did not remove it, so the caller can report it).
 * Returns how it ended.
 */
export async function stopProcess(
  pid: number,
  graceMs: number,
): Promise<'exited' | 'killed' | 'gone' | 'stuck'> {
  if (!isAlive(pid)) return 'gone';
  signal(pid, 'SIGTERM');
  if (await waitForExit(pid, graceMs)) return 'exited';
  signal(pid, 'SIGKILL');
  return (await waitForExit(pid, 5_000)) ? 'killed' : 'stuck';
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Gone between the check and the signal.
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return true;
}
