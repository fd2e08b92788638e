import { open, readdir, rename, rmdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** fsyncs a directory so a rename or create inside it survives a power cut. */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes a whole file durably: temp file, fsync, rename over the target, fsync the dir. */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const temp = `${path}.tmp-${process.pid}`;
  await writeFile(temp, data);
  const handle = await open(temp, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, path);
  await syncDir(dirname(path));
}

/** Writes and fsyncs a file (no rename: the caller commits a whole directory at once). */
export async function writeFileSynced(path: string, data: Uint8Array | string): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Removes directories left empty up to (not including) the `files` root's commit dirs' parent. */
export async function removeEmptyParents(dir: string): Promise<void> {
  let current = dir;
  for (let depth = 0; depth < 12; depth++) {
    try {
      await rmdir(current);
    } catch {
      return; // not empty (or gone): stop climbing
    }
    const parent = dirname(current);
    if (parent.endsWith('/files') || parent === current) return;
    current = parent;
  }
}

/** fsyncs every directory of a freshly written tree so its entries survive a power cut. */
export async function syncTree(root: string): Promise<void> {
  const dirs = [root];
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (entry.isDirectory()) dirs.push(join(entry.parentPath, entry.name));
  }
  for (const dir of dirs.reverse()) await syncDir(dir);
}
