import { randomBytes } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { mkdir, open, readdir, rename, rm, rmdir, stat, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { AppError } from '@o2/errors';
import { checkObjectKey, checkObjectPrefix, checkRange, compareKeys } from './object-key.js';
import type { ObjectBody, ObjectMeta, ObjectStore } from './object-store.js';

/**
 * Names of in-flight writes. Never a valid listing result: `list` skips them and keys may not
 * use a segment starting with it, so a crash mid-write cannot surface a half-written object.
 */
const TEMP_MARKER = '.o2tmp-';
/** A delete may remove a directory between our mkdir and our open; that many tries is plenty. */
const PUT_ATTEMPTS = 5;
const DELETE_PARALLELISM = 64;

function errnoCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}

/** Missing file, or a path through a file, or a directory where an object was expected. */
function isMissing(error: unknown): boolean {
  const code = errnoCode(error);
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR';
}

function notFound(key: string): AppError {
  return AppError.notFound(`object ${JSON.stringify(key)} not found`);
}

function asBuffer(chunk: unknown): Buffer {
  if (typeof chunk === 'string') return Buffer.from(chunk);
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
  throw AppError.invalidArgument('object body stream must yield bytes or strings');
}

/**
 * Objects as files under a root directory (`ZO_DATA_STREAM_DIR` in single-node mode). A key's
 * segments become directories, so `a/b` and `a/b/c` cannot both exist here (CONFLICT), unlike
 * in S3.
 */
export class LocalObjectStore implements ObjectStore {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  private pathOf(key: string): string {
    checkObjectKey(key);
    const segments = key.split('/');
    if (segments.some((s) => s.startsWith(TEMP_MARKER))) {
      throw AppError.invalidArgument(
        `object key ${JSON.stringify(key)} uses the reserved ${TEMP_MARKER} prefix`,
      );
    }
    return join(this.root, ...segments);
  }

  async put(key: string, body: ObjectBody): Promise<void> {
    const target = this.pathOf(key);
    const dir = dirname(target);
    for (let attempt = 1; ; attempt++) {
      try {
        await mkdir(dir, { recursive: true });
      } catch (error) {
        if (errnoCode(error) === 'ENOTDIR' || errnoCode(error) === 'EEXIST') {
          throw new AppError('CONFLICT', `object ${JSON.stringify(key)} would be inside an object`);
        }
        throw error;
      }
      const temp = join(dir, `${TEMP_MARKER}${randomBytes(8).toString('hex')}`);
      let handle: FileHandle;
      try {
        handle = await open(temp, 'wx');
      } catch (error) {
        if (errnoCode(error) === 'ENOENT' && attempt < PUT_ATTEMPTS) continue;
        throw error;
      }
      try {
        await writeBody(handle, body);
        // Without the fsync a crash after the rename could leave a renamed but empty file.
        await handle.sync();
        await handle.close();
        await rename(temp, target);
      } catch (error) {
        await handle.close().catch(() => undefined);
        await rm(temp, { force: true });
        if (errnoCode(error) === 'EISDIR' || errnoCode(error) === 'ENOTEMPTY') {
          throw new AppError('CONFLICT', `object ${JSON.stringify(key)} is a directory of objects`);
        }
        throw error;
      }
      await syncDirectory(dir);
      return;
    }
  }

  private async openExisting(key: string): Promise<{ handle: FileHandle; size: number }> {
    const path = this.pathOf(key);
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (error) {
      if (isMissing(error)) throw notFound(key);
      throw error;
    }
    const info = await handle.stat();
    if (!info.isFile()) {
      await handle.close();
      throw notFound(key);
    }
    return { handle, size: info.size };
  }

  async get(key: string): Promise<Readable> {
    // Opening before returning makes a missing key reject here rather than as a stream error,
    // and the open descriptor keeps reading the old file even if a put renames over it.
    const { handle } = await this.openExisting(key);
    return handle.createReadStream();
  }

  async getBytes(key: string): Promise<Buffer> {
    const { handle } = await this.openExisting(key);
    try {
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  }

  async getRange(key: string, offset: number, length: number): Promise<Buffer> {
    checkRange(offset, length);
    const { handle, size } = await this.openExisting(key);
    try {
      const wanted = Math.max(0, Math.min(length, size - offset));
      const buffer = Buffer.alloc(wanted);
      let filled = 0;
      while (filled < wanted) {
        const { bytesRead } = await handle.read(buffer, filled, wanted - filled, offset + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return buffer.subarray(0, filled);
    } finally {
      await handle.close();
    }
  }

  async head(key: string): Promise<ObjectMeta | undefined> {
    const path = this.pathOf(key);
    try {
      const info = await stat(path);
      return info.isFile() ? { key, size: info.size, lastModified: info.mtime } : undefined;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async *list(prefix: string): AsyncIterable<ObjectMeta> {
    checkObjectPrefix(prefix);
    const cut = prefix.lastIndexOf('/');
    const base = prefix.slice(0, cut + 1);
    const partial = prefix.slice(cut + 1);
    yield* this.walk(base, partial);
  }

  /**
   * Depth-first over `base` (a key prefix ending in `/`, or ''). Entries are visited in the
   * byte order of `name` for files and `name/` for directories, which makes the output globally
   * sorted without collecting it: every key under a directory starts with `name/`.
   */
  private async *walk(base: string, partial: string): AsyncGenerator<ObjectMeta> {
    const dir = base === '' ? this.root : join(this.root, ...base.slice(0, -1).split('/'));
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    const visible = entries
      .filter((e) => e.name.startsWith(partial) && !e.name.startsWith(TEMP_MARKER))
      .filter((e) => e.isFile() || e.isDirectory())
      .map((e) => ({ entry: e, order: e.isDirectory() ? `${e.name}/` : e.name }))
      .sort((a, b) => compareKeys(a.order, b.order));
    for (const { entry } of visible) {
      const key = `${base}${entry.name}`;
      if (entry.isDirectory()) {
        yield* this.walk(`${key}/`, '');
        continue;
      }
      try {
        const info = await stat(join(dir, entry.name));
        if (info.isFile()) yield { key, size: info.size, lastModified: info.mtime };
      } catch (error) {
        // Deleted between readdir and stat: it is simply not there any more.
        if (!isMissing(error)) throw error;
      }
    }
  }

  async deleteMany(keys: readonly string[]): Promise<void> {
    const paths = [...new Set(keys)].map((key) => this.pathOf(key));
    for (let i = 0; i < paths.length; i += DELETE_PARALLELISM) {
      await Promise.all(paths.slice(i, i + DELETE_PARALLELISM).map((p) => this.deleteOne(p)));
    }
  }

  private async deleteOne(path: string): Promise<void> {
    try {
      await unlink(path);
    } catch (error) {
      if (isMissing(error) || errnoCode(error) === 'EPERM') return;
      throw error;
    }
    await this.pruneEmptyParents(dirname(path));
  }

  /**
   * Removes directories left empty by a delete, up to (not including) the root, so a compacted
   * hour does not leave a tree of empty directories behind. Stops at the first non-empty one.
   */
  private async pruneEmptyParents(dir: string): Promise<void> {
    for (let current = dir; current.startsWith(`${this.root}/`); current = dirname(current)) {
      try {
        await rmdir(current);
      } catch {
        return;
      }
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

async function writeBody(handle: FileHandle, body: ObjectBody): Promise<void> {
  if (body instanceof Uint8Array) {
    await handle.writeFile(body);
    return;
  }
  for await (const chunk of body) {
    const bytes = asBuffer(chunk);
    for (let done = 0; done < bytes.length;) {
      const { bytesWritten } = await handle.write(bytes, done, bytes.length - done);
      done += bytesWritten;
    }
  }
}

/** Makes the rename itself durable; without it a crash can forget the new directory entry. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
