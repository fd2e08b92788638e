import { Writable } from 'node:stream';
import { createLogger } from '@o2/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueryLeader } from './query-leader.js';
import type { QueryLeader } from './query-leader.js';
import { createSourceResolver } from './source-resolver.js';
import {
  BASE,
  HOUR,
  RARE_WORD,
  ROWS_PER_FILE,
  storedStream,
} from './test-support/stored-stream.js';
import type { StoredStream } from './test-support/stored-stream.js';

const FILES = 3;
const range = { startTime: BASE, endTime: BASE + FILES * HOUR };

describe('query leader', () => {
  let disk: StoredStream;
  let leader: QueryLeader;
  const lines: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    disk = await storedStream(FILES);
    const logger = createLogger({
      level: 'info',
      destination: new Writable({
        write: (chunk: Buffer, _e, done) => {
          lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
          done();
        },
      }),
    });
    leader = createQueryLeader({
      config: disk.config,
      logger,
      metaStore: disk.metaStore,
      resolver: createSourceResolver(disk),
      fileDirectories: disk.files.directories,
      clustered: false,
    });
  });
  afterAll(async () => {
    await leader.stop();
    await disk.close();
  });

  it('answers UNAVAILABLE until started', async () => {
    try {
      await expect(
        leader.search('default', 'logs', { sql: 'SELECT * FROM "app"', ...range }),
      ).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    } finally {
      await leader.start();
    }
  });

  it('runs the SQL over the stored files and reports the profile', async () => {
    const body = await leader.search('default', 'logs', {
      sql: 'SELECT count(*) AS n FROM "app"',
      ...range,
    });
    expect(body['hits']).toEqual([{ n: FILES * ROWS_PER_FILE }]);
    expect(body).toMatchObject({ scan_files: FILES, pruned_files: 0 });
    expect(body).not.toHaveProperty('nodes');
  });

  it('prunes by token index for match_all and logs what it skipped', async () => {
    const body = await leader.search('default', 'logs', {
      sql: `SELECT log FROM "app" WHERE match_all('${RARE_WORD}')`,
      ...range,
    });
    expect((body['hits'] as Array<{ log: string }>).map((h) => h.log)).toEqual([
      `file 1 row 0 ${RARE_WORD}`,
    ]);
    expect(body).toMatchObject({ scan_files: 1, pruned_files: FILES - 1 });
    expect(lines.filter((l) => l['msg'] === 'search').at(-1)).toMatchObject({
      org: 'default',
      scanned: 1,
      pruned: FILES - 1,
      nodes: [],
    });
  });

  it('returns the rows around a key, newest first', async () => {
    const key = BASE + HOUR + 5 * 1_000_000;
    const body = await leader.around('default', 'logs', 'app', { key, size: 4 });
    const hits = body['hits'] as Array<{ _timestamp: number }>;
    expect(hits.map((h) => h._timestamp)).toEqual([
      key + 2_000_000,
      key + 1_000_000,
      key,
      key - 1_000_000,
    ]);
  });

  it("narrows both halves of _around by the WHERE of its base64 sql, O2's functions included", async () => {
    const key = BASE + HOUR + 5 * 1_000_000;
    const sql = Buffer.from(`SELECT * FROM app WHERE re_not_match(log, 'row 6')`).toString(
      'base64url',
    );
    const body = await leader.around('default', 'logs', 'app', { key, size: 4, sql });
    const hits = body['hits'] as Array<{ _timestamp: number }>;
    expect(hits.map((h) => h._timestamp)).toEqual([
      key + 3_000_000,
      key + 2_000_000,
      key,
      key - 1_000_000,
    ]);
    await expect(
      leader.around('default', 'logs', 'app', { key, size: 4, sql: 'not base64!' }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('plans partitions from the file list stats', async () => {
    const body = await leader.partition('default', 'logs', {
      sql: 'SELECT * FROM "app"',
      ...range,
    });
    expect(body).toMatchObject({ file_num: FILES, records: FILES * ROWS_PER_FILE });
  });
});
