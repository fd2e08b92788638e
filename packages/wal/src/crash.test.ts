import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWal } from './index.js';

/*
 * A real process crash: a child Node process appends numbered entries from eight concurrent
 * appenders and prints each number once its append has resolved; the test SIGKILLs it mid-stream
 * and checks that the WAL replays every printed number exactly once. The child runs the compiled
 * package (dist/), built here, because plain Node cannot load the TypeScript sources.
 */

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const distEntry = pathToFileURL(join(packageDir, 'dist', 'index.js')).href;

const childSource = `
import { openWal } from ${JSON.stringify(distEntry)};
const [dir, round, fsync] = process.argv.slice(2);
const wal = await openWal({
  dir,
  fsync: fsync === '1',
  maxSegmentBytes: 1024 * 1024,
  maxSegmentAgeMs: 60_000,
});
process.stdout.write('ready\\n');
async function appender(a) {
  for (let i = 0; ; i++) {
    const id = round + ':' + a + ':' + i;
    // Mostly small entries, some large enough to span pages and make torn writes likely.
    const size = i % 5 === 0 ? 48 * 1024 + i : 64 + (i % 200);
    await wal.append([Buffer.from(id + '|'), Buffer.alloc(size, 0x61 + (i % 26))]);
    process.stdout.write(id + '\\n');
  }
}
await Promise.all(Array.from({ length: 8 }, (_, a) => appender(a)));
`;

let workDir: string;
let childScript: string;

beforeAll(async () => {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  await promisify(execFile)(process.execPath, [tsc, '-b', packageDir]);
  workDir = await mkdtemp(join(tmpdir(), 'o2ts-wal-crash-'));
  childScript = join(workDir, 'appender.mjs');
  await writeFile(childScript, childSource);
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

/** Runs the child until it has acknowledged `acks` appends, SIGKILLs it, returns what it acked. */
async function crashAfter(dir: string, round: number, fsync: boolean, acks: number) {
  const child = spawn(process.execPath, [childScript, dir, String(round), fsync ? '1' : '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let killedAt = -1;
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    stdout += chunk;
    if (killedAt < 0 && stdout.split('\n').length - 2 >= acks) {
      killedAt = acks;
      child.kill('SIGKILL');
    }
  });
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  const signal = await new Promise<NodeJS.Signals | null>((resolve) => {
    child.on('close', (_code, closeSignal) => resolve(closeSignal));
  });
  if (signal !== 'SIGKILL') throw new Error(`child exited on its own: ${stderr}`);
  const lines = stdout.split('\n');
  // The last element is an unterminated (possibly partial) line; it is not counted as acked.
  return lines.slice(0, -1).filter((line) => line !== 'ready');
}

describe('wal under a process crash', () => {
  it('replays every acknowledged append exactly once after SIGKILL, round after round', async () => {
    const dir = join(workDir, 'wal');
    const acked: string[] = [];
    const rounds = [
      { fsync: false, acks: 400 },
      { fsync: true, acks: 100 },
      { fsync: false, acks: 700 },
      { fsync: false, acks: 30 },
    ];
    for (const [round, { fsync, acks }] of rounds.entries()) {
      acked.push(...(await crashAfter(dir, round, fsync, acks)));

      const wal = await openWal({
        dir,
        fsync,
        maxSegmentBytes: 1024 * 1024,
        maxSegmentAgeMs: 60_000,
      });
      const replayed: string[] = [];
      for await (const { entry } of wal.replay()) {
        const text = Buffer.from(entry).toString('latin1');
        const bar = text.indexOf('|');
        const id = text.slice(0, bar);
        const i = Number(id.split(':')[2]);
        const size = i % 5 === 0 ? 48 * 1024 + i : 64 + (i % 200);
        expect(text.length - bar - 1).toBe(size);
        expect(text.slice(bar + 1)).toBe(String.fromCharCode(0x61 + (i % 26)).repeat(size));
        replayed.push(id);
      }
      await wal.close();

      expect(new Set(replayed).size).toBe(replayed.length);
      const replayedSet = new Set(replayed);
      expect(acked.filter((id) => !replayedSet.has(id))).toEqual([]);
      // Each appender waits for one append before the next, so what survives of it is an
      // unbroken prefix 0..n, in order (the entry in flight at the kill may or may not be there).
      const perAppender = new Map<string, number[]>();
      for (const id of replayed) {
        const [r, a, i] = id.split(':');
        const key = `${r}:${a}`;
        perAppender.set(key, [...(perAppender.get(key) ?? []), Number(i)]);
      }
      for (const indexes of perAppender.values()) {
        expect(indexes).toEqual(indexes.map((_, n) => n));
      }
    }
    expect(acked.length).toBeGreaterThanOrEqual(1230);
  });
});
