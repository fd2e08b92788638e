import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openWal } from '../index.js';

/*
 * Append throughput with O2's default segment limits. Usage:
 *   pnpm --filter @o2/wal bench [-- --seconds 3]
 * WAL_BENCH_DIR picks the filesystem (default: the OS temp dir); tmpfs makes fsync free and the
 * fsync figures meaningless.
 */

interface Case {
  entryBytes: number;
  fsync: boolean;
  appenders: number;
}

const seconds = Number(argValue('--seconds') ?? 2);
const baseDir = process.env.WAL_BENCH_DIR ?? tmpdir();

const cases: Case[] = [
  { entryBytes: 1024, fsync: false, appenders: 8 },
  { entryBytes: 64 * 1024, fsync: false, appenders: 8 },
  { entryBytes: 1024, fsync: true, appenders: 8 },
  { entryBytes: 64 * 1024, fsync: true, appenders: 8 },
  // One appender with fsync shows what group commit buys the eight above.
  { entryBytes: 1024, fsync: true, appenders: 1 },
];

async function run(benchCase: Case): Promise<{ appends: number; elapsedMs: number }> {
  const dir = await mkdtemp(join(baseDir, 'o2ts-wal-bench-'));
  try {
    const wal = await openWal({
      dir,
      fsync: benchCase.fsync,
      maxSegmentBytes: 512 * 1024 * 1024,
      maxSegmentAgeMs: 600_000,
    });
    const entry = new Uint8Array(benchCase.entryBytes).fill(0x61);
    let appends = 0;
    const start = performance.now();
    const deadline = start + seconds * 1000;
    const appender = async (): Promise<void> => {
      while (performance.now() < deadline) {
        await wal.append(entry);
        appends += 1;
      }
    };
    await Promise.all(Array.from({ length: benchCase.appenders }, appender));
    const elapsedMs = performance.now() - start;
    await wal.close();
    return { appends, elapsedMs };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function argValue(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

console.log(`wal bench: ${seconds}s per case in ${baseDir}, node ${process.version}`);
console.log('entry     fsync  appenders   appends/s        MB/s');
for (const benchCase of cases) {
  const { appends, elapsedMs } = await run(benchCase);
  const perSecond = (appends * 1000) / elapsedMs;
  const megabytes = (perSecond * benchCase.entryBytes) / (1024 * 1024);
  console.log(
    [
      `${benchCase.entryBytes / 1024} KiB`.padEnd(9),
      (benchCase.fsync ? 'on' : 'off').padEnd(6),
      String(benchCase.appenders).padStart(9),
      perSecond.toFixed(0).padStart(11),
      megabytes.toFixed(1).padStart(11),
    ].join(' '),
  );
}
