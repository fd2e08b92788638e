import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '@o2/testing';
import type { TempDir } from '@o2/testing';
import { Quarantine } from './quarantine.js';
import type { QuarantineRecord } from './quarantine.js';

const record: QuarantineRecord = {
  org: 'default',
  streamType: 'logs',
  stream: 'web',
  partition: '2026/12/03/10',
  stage: 'upload',
  rows: 3,
  bytes: 10,
  error: 'boom',
  attempts: 5,
  firstFailedAt: 1_000,
};

describe('Quarantine', () => {
  let dir: TempDir | undefined;
  afterEach(async () => {
    await dir?.remove();
    dir = undefined;
  });

  it('moves files beside a sidecar, finishes an interrupted move, and counts each entry once', async () => {
    dir = await makeTempDir('quarantine');
    const source = join(dir.path, 'files');
    await mkdir(source);
    await writeFile(join(source, 'a.parquet'), 'A');
    await writeFile(join(source, 'b.parquet'), 'B');
    const added: string[] = [];
    const quarantine = new Quarantine(
      join(dir.path, 'quarantine'),
      () => 5_000,
      (r) => added.push(r.stream),
    );
    await quarantine.init();
    const files = [
      { from: join(source, 'a.parquet'), name: 'a.parquet' },
      { from: join(source, 'b.parquet'), name: 'b.parquet' },
    ];
    await quarantine.add('upload-1', record, files);
    // A second call with the same id (as after a crash mid-move) finds the files moved.
    await quarantine.add('upload-1', record, files);

    expect(await readdir(source)).toEqual([]);
    const entryDir = join(dir.path, 'quarantine', 'upload-1');
    expect((await readdir(entryDir)).sort()).toEqual(['a.parquet', 'b.parquet', 'entry.json']);
    expect(await readFile(join(entryDir, 'b.parquet'), 'utf8')).toBe('B');
    expect(await quarantine.list()).toEqual([{ ...record, quarantinedAt: 5_000, path: entryDir }]);
    expect(added).toEqual(['web']);
  });

  it('lists nothing before anything is quarantined', async () => {
    dir = await makeTempDir('quarantine');
    expect(await new Quarantine(join(dir.path, 'none')).list()).toEqual([]);
  });
});
