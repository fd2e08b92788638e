import { open } from 'node:fs/promises';

/**
 * fsyncs a directory so that file creations and deletions in it survive a power cut. Linux
 * needs this; a plain file fsync does not persist the file's directory entry.
 */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
