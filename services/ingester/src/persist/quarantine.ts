import { mkdir, readdir, readFile, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { QuarantinedPartition } from '@o2/domain';
import { syncDir, writeFileAtomic } from './fs-atomic.js';

const ENTRY_FILE = 'entry.json';

/** What is known about a partition when it is quarantined (the rest is filled in here). */
export type QuarantineRecord = Omit<QuarantinedPartition, 'path' | 'quarantinedAt' | 'node'>;

interface StoredEntry extends QuarantineRecord {
  quarantinedAt: number;
  /** Names of the data files inside the entry's directory. */
  files: string[];
}

export interface QuarantineFile {
  /** Where the file is now. */
  from: string;
  /** Its name inside the entry directory. */
  name: string;
}

function isMissing(error: unknown): boolean {
  return (error as { code?: unknown }).code === 'ENOENT';
}

/**
 * `{ZO_DATA_WAL_DIR}/quarantine/{id}/`: the data files of a partition that kept failing, moved
 * (never copied, never deleted) beside an `entry.json` saying what they hold and why they are
 * here. `add` is resumable: the caller records the id first, so a crash in the middle of a
 * move is finished by calling `add` again with the same id — each file is in exactly one
 * place at any time.
 */
export class Quarantine {
  constructor(
    readonly dir: string,
    private readonly now: () => number = Date.now,
    private readonly onAdded: (record: QuarantineRecord) => void = () => undefined,
  ) {}

  async init(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
  }

  /** Moves `files` into entry `id` (idempotent); resolves once the move is durable. */
  async add(id: string, record: QuarantineRecord, files: readonly QuarantineFile[]): Promise<void> {
    const entryDir = join(this.dir, id);
    await mkdir(entryDir, { recursive: true });
    const entryPath = join(entryDir, ENTRY_FILE);
    let fresh = false;
    try {
      await stat(entryPath);
    } catch (error) {
      if (!isMissing(error)) throw error;
      const entry: StoredEntry = {
        ...record,
        quarantinedAt: this.now(),
        files: files.map((f) => f.name),
      };
      await writeFileAtomic(entryPath, JSON.stringify(entry, null, 2));
      await syncDir(this.dir);
      fresh = true;
    }
    for (const file of files) {
      try {
        await rename(file.from, join(entryDir, file.name));
      } catch (error) {
        // Already moved by the interrupted try this one finishes.
        if (!isMissing(error)) throw error;
      }
    }
    await syncDir(entryDir);
    if (fresh) this.onAdded(record);
  }

  /** Every entry, oldest first. */
  async list(): Promise<QuarantinedPartition[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
    const entries: QuarantinedPartition[] = [];
    for (const name of names) {
      const path = join(this.dir, name);
      try {
        const stored = JSON.parse(await readFile(join(path, ENTRY_FILE), 'utf8')) as StoredEntry;
        const { files: _files, ...entry } = stored;
        entries.push({ ...entry, path });
      } catch {
        // Not an entry (a stray file, or a directory an operator is handling by hand).
      }
    }
    return entries.sort((a, b) => a.quarantinedAt - b.quarantinedAt);
  }
}
