import { stat } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSourceResolver } from './source-resolver.js';
import type { SourceResolver } from './source-resolver.js';
import {
  BASE,
  HOUR,
  MESSAGE_NUMBER,
  NOTE_WORD,
  RARE_FILE,
  RARE_WORD,
  storedStream,
} from './test-support/stored-stream.js';
import type { StoredStream } from './test-support/stored-stream.js';

const FILES = 4;
const ALL = { startTs: BASE, endTs: BASE + FILES * HOUR };
const app = [{ name: 'app' }];

describe('source resolver', () => {
  let disk: StoredStream;
  let resolver: SourceResolver;

  beforeAll(async () => {
    disk = await storedStream(FILES, { withoutIndex: 3 });
    resolver = createSourceResolver(disk);
  });
  afterAll(() => disk.close());

  it('reads every stored file in range, with the stream schema, when no term is searched', async () => {
    const resolved = await resolver.resolve('default', 'logs', app, ALL, new Map());
    resolved.release();
    expect(resolved).toMatchObject({ scanned: FILES, pruned: 0, nodes: [] });
    const [source] = resolved.sources;
    expect(source?.name).toBe('app');
    expect(source?.type).toBe('logs');
    expect(source?.schema.map((f) => f.name)).toEqual(['_timestamp', 'log']);
    expect(source?.parquetFiles).toHaveLength(FILES);
    // Each file sized as the file list has it: the search engine takes that for its version.
    for (const path of source?.parquetFiles ?? []) {
      expect((await stat(path)).size).toBeGreaterThan(0);
      expect(source?.fileSizes?.get(path)).toBe((await stat(path)).size);
    }
    // And its rows and time bounds as listed, so the engine reads no footer statistics for them.
    const listed = disk.entries.map((e) => ({
      records: e.records,
      minTs: e.minTs,
      maxTs: e.maxTs,
    }));
    expect([...(source?.fileStats?.keys() ?? [])].sort()).toEqual([...source!.parquetFiles].sort());
    expect([...(source?.fileStats?.values() ?? [])]).toEqual(expect.arrayContaining(listed));
  });

  /** The rare word's search through `over`: the rare word's file and file 3 read, 0 and 2 not. */
  const expectRareWordReads = async (over: SourceResolver): Promise<void> => {
    const terms = new Map([['app', [RARE_WORD.toLowerCase()]]]);
    const resolved = await over.resolve('default', 'logs', app, ALL, terms);
    resolved.release();
    expect(resolved).toMatchObject({ scanned: 2, pruned: 2 });
    const paths = resolved.sources[0]?.parquetFiles ?? [];
    expect(paths.map((p) => p.split('/').pop()).sort()).toEqual([
      `f${RARE_FILE}.parquet`,
      'f3.parquet',
    ]);
  };

  it('skips files whose token index rules a term out, but never one without its index', async () => {
    // File 3's index object is missing, so it can't be ruled out; files 0 and 2 are.
    await expectRareWordReads(resolver);
  });

  it('reads indexes stored unpacked by earlier builds, and reads whole a file whose index it cannot read', async () => {
    const stream = await storedStream(FILES, { unpackedIndex: 0, unreadableIndex: 3 });
    try {
      // File 0 (unpacked index) and file 2 (packed) are ruled out; file 3's index is in a
      // format this build does not know, so it is read like a file without one.
      await expectRareWordReads(createSourceResolver(stream));
    } finally {
      await stream.close();
    }
  });

  /** Resolves stream `app` over all time for one `match_all` term (lower-cased, as analyzed). */
  const searchTerm = async (stream: StoredStream, word: string) => {
    const terms = new Map([['app', [word.toLowerCase()]]]);
    const resolved = await createSourceResolver(stream).resolve('default', 'logs', app, ALL, terms);
    resolved.release();
    return resolved;
  };

  it('rules out no file on a full-text key its index was built without', async () => {
    const noted = await storedStream(3, { note: true });
    try {
      const ref = { org: 'default', type: 'logs' as const, name: 'app' };
      const search = (word: string) => searchTerm(noted, word);
      // `note` is not a full-text field yet: the word is searched in `log` alone.
      expect(await search(NOTE_WORD)).toMatchObject({ scanned: 0, pruned: 3 });
      // Added to the settings after the upload: match_all searches `note` too, which the files'
      // indexes do not cover, so none of them may be ruled out (file 2 holds the word there)...
      await noted.metaStore.streams.ensure(ref);
      await noted.metaStore.streams.putSettings(ref, { full_text_search_keys: ['note'] });
      const found = await search(NOTE_WORD);
      expect(found).toMatchObject({ scanned: 3, pruned: 0 });
      expect(found.sources[0]?.rowRanges).toBeUndefined();
      // ...while a key the schema does not hold takes nothing away from the pruning.
      await noted.metaStore.streams.putSettings(ref, { full_text_search_keys: ['nowhere'] });
      expect(await search(NOTE_WORD)).toMatchObject({ scanned: 0, pruned: 3 });
    } finally {
      await noted.close();
    }
  });

  it("keeps a file's verdict per term and fields: a settings change is seen by the same resolver", async () => {
    const noted = await storedStream(3, { note: true });
    try {
      const ref = { org: 'default', type: 'logs' as const, name: 'app' };
      const resolver = createSourceResolver(noted);
      const search = async (word: string) => {
        const terms = new Map([['app', [word.toLowerCase()]]]);
        const resolved = await resolver.resolve('default', 'logs', app, ALL, terms);
        resolved.release();
        return resolved;
      };
      expect(await search(NOTE_WORD)).toMatchObject({ scanned: 0, pruned: 3 });
      expect(await search(NOTE_WORD)).toMatchObject({ scanned: 0, pruned: 3 });
      // `note` becomes a full-text key: the same term is now asked of fields no index covers.
      await noted.metaStore.streams.ensure(ref);
      await noted.metaStore.streams.putSettings(ref, { full_text_search_keys: ['note'] });
      expect(await search(NOTE_WORD)).toMatchObject({ scanned: 3, pruned: 0 });
      await noted.metaStore.streams.putSettings(ref, { full_text_search_keys: [] });
      expect(await search(NOTE_WORD)).toMatchObject({ scanned: 0, pruned: 3 });
      // Another term is its own question.
      expect(await search(RARE_WORD)).toMatchObject({ scanned: 1, pruned: 2 });
    } finally {
      await noted.close();
    }
  });

  it('rules out no file on a default field its index saw as numbers, once it is text', async () => {
    const numbered = await storedStream(3, { numberMessage: true });
    try {
      const ref = { org: 'default', type: 'logs' as const, name: 'app' };
      const search = (word: string) => searchTerm(numbered, word);
      const word = String(MESSAGE_NUMBER);
      // A number's text could be in the Int64 `message`, which no index covers: nothing goes.
      expect(await search(word)).toMatchObject({ scanned: 3, pruned: 0 });
      // A word no number prints is ruled out on the covered fields.
      expect(await search('zqxabsent')).toMatchObject({ scanned: 0, pruned: 3 });
      // `message` widened to text: match_all searches its (cast) values in these files too, and
      // their indexes, listing every field asked for, show it was not tokenised: still read.
      const latest = await numbered.metaStore.schemas.latest(ref);
      const widened = (latest?.fields ?? []).map((f) =>
        f.name === 'message' ? { ...f, type: 'Utf8' as const } : f,
      );
      await numbered.metaStore.schemas.put(ref, latest?.version ?? 0, BASE + 9 * HOUR, widened);
      expect(await search(word)).toMatchObject({ scanned: 3, pruned: 0 });
      // Any word could now be in those untokenised texts: these files are read until rewritten.
      expect(await search('zqxabsent')).toMatchObject({ scanned: 3, pruned: 0 });
    } finally {
      await numbered.close();
    }
  });

  it('keeps only files overlapping the time range', async () => {
    const range = { startTs: BASE + HOUR, endTs: BASE + 2 * HOUR };
    const resolved = await resolver.resolve('default', 'logs', app, range, new Map());
    resolved.release();
    expect(resolved.scanned).toBe(1);
    expect(resolved.sources[0]?.parquetFiles[0]).toMatch(/f1\.parquet$/);
  });

  it('prunes nothing when the inverted index is off', async () => {
    const off = await storedStream(2, { env: { ZO_ENABLE_INVERTED_INDEX: 'false' } });
    try {
      const terms = new Map([['app', ['nowhere']]]);
      const resolved = await createSourceResolver(off).resolve('default', 'logs', app, ALL, terms);
      resolved.release();
      expect(resolved).toMatchObject({ scanned: 2, pruned: 0 });
    } finally {
      await off.close();
    }
  });

  it('resolves an unknown stream to an empty source rather than failing', async () => {
    const resolved = await resolver.resolve('default', 'logs', [{ name: 'nope' }], ALL, new Map());
    resolved.release();
    expect(resolved.scanned).toBe(0);
    expect(resolved.sources).toEqual([
      { name: 'nope', type: 'logs', schema: [], parquetFiles: [], tables: [], settings: {} },
    ]);
  });

  it("describes a worker's share as a source: the stored schema over the cached files", async () => {
    const ref = { org: 'default', type: 'logs' as const, name: 'app' };
    const source = await resolver.storedSource(ref, disk.entries.slice(1, 3));
    expect(source).toMatchObject({ name: 'app', type: 'logs', tables: [], settings: {} });
    expect(source.schema.map((f) => f.name)).toEqual(['_timestamp', 'log']);
    expect(source.parquetFiles).toHaveLength(2);
    expect(source.parquetFiles[0]).toMatch(/f1\.parquet$/);
    // Sized as the leader sizes the same files when it reads them as its own share, so the
    // engine versions each file one way whichever role this querier plays.
    const whole = await resolver.resolve('default', 'logs', app, ALL, new Map());
    whole.release();
    for (const path of source.parquetFiles) {
      expect(source.fileSizes?.get(path)).toBe((await stat(path)).size);
      expect(source.fileSizes?.get(path)).toBe(whole.sources[0]?.fileSizes?.get(path));
      expect(source.fileStats?.get(path)).toEqual(whole.sources[0]?.fileStats?.get(path));
      expect(source.fileStats?.get(path)?.records).toBeGreaterThan(0);
    }
  });

  it('hands over the row ranges of the row groups that may hold the terms', async () => {
    const grouped = await storedStream(2, { rowGroupSize: 4 });
    try {
      const terms = new Map([['app', [RARE_WORD.toLowerCase()]]]);
      const range = { startTs: BASE, endTs: BASE + 2 * HOUR };
      const resolved = await createSourceResolver(grouped).resolve(
        'default',
        'logs',
        app,
        range,
        terms,
      );
      resolved.release();
      expect(resolved).toMatchObject({ scanned: 1, pruned: 1 });
      const [source] = resolved.sources;
      const [path] = source?.parquetFiles ?? [];
      // Rows are stored newest first: the rare word (row 0, the oldest) is file row 9, in the
      // last group of 4, 4 and 2 rows, whose blocks (one row each) name that row alone.
      expect([...(source?.rowRanges ?? new Map())]).toEqual([[path, [[9, 10]]]]);
    } finally {
      await grouped.close();
    }
  });
});
