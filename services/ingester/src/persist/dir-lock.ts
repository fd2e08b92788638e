import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '@o2/errors';

export interface DirLock {
  release(): Promise<void>;
}

function alive(pid: number): boolean {
  if (pid === process.pid) return false; // a restarted container process reuses its pid
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One ingester per WAL directory: two processes appending to the same segments would corrupt
 * them. The lock file holds the owner's pid; a lock left by a dead process (a crash) is taken
 * over, a live owner makes the start fail with a clear message.
 */
export async function lockDir(dir: string): Promise<DirLock> {
  const path = join(dir, 'LOCK');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.sync();
      await handle.close();
      return { release: () => rm(path, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(owner) && owner > 0 && alive(owner)) {
        throw new AppError(
          'FAILED_PRECONDITION',
          `${dir} is in use by another O2TS process (pid ${owner}); each ingester needs its own ZO_DATA_WAL_DIR`,
        );
      }
      await rm(path, { force: true });
    }
  }
  throw new AppError('FAILED_PRECONDITION', `could not lock ${dir}`);
}
