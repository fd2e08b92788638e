import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { AppError } from '@o2/errors';
import { makeTempDir } from './temp-dir.js';

const run = promisify(execFile);

export interface SmallDisk {
  /** Mount point: a real filesystem of `sizeBytes`, so writes past it fail with ENOSPC. */
  path: string;
  /** Unmounts and removes the mount point; safe to call twice. */
  remove(): Promise<void>;
}

/**
 * Mounts a tmpfs of `sizeBytes` on a fresh temp dir — a real full disk for disk-full tests
 * (the kernel answers ENOSPC, nothing is simulated). Needs root (or CAP_SYS_ADMIN); without it
 * this throws saying so, it never pretends.
 */
export async function mountSmallDisk(sizeBytes: number): Promise<SmallDisk> {
  const dir = await makeTempDir('small-disk');
  try {
    await run('mount', ['-t', 'tmpfs', '-o', `size=${sizeBytes}`, 'tmpfs', dir.path]);
  } catch (error) {
    await dir.remove();
    const stderr = (error as { stderr?: string }).stderr ?? String(error);
    throw new AppError(
      'FAILED_PRECONDITION',
      `cannot mount a ${sizeBytes}-byte tmpfs for a disk-full test (needs root): ${stderr.trim()}`,
    );
  }
  let removed: Promise<void> | undefined;
  const unmount = () => {
    try {
      // Lazy, so a file still open in a dying process can't keep the mount (and the test) up.
      execFileSync('umount', ['-l', dir.path], { stdio: 'ignore' });
    } catch {
      // already unmounted
    }
  };
  // A test that dies must not leave the mount behind.
  process.once('exit', unmount);
  return {
    path: dir.path,
    remove: () =>
      (removed ??= (async () => {
        process.removeListener('exit', unmount);
        await run('umount', ['-l', dir.path]).catch(() => undefined);
        await dir.remove();
      })()),
  };
}
