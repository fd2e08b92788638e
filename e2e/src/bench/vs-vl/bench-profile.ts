import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT } from '../../product-process.js';

/** The parts of V8's `.cpuprofile` JSON (what `node --cpu-prof` writes) the summary reads. */
interface CpuProfile {
  nodes: Array<{
    id: number;
    hitCount?: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }>;
  startTime: number;
  endTime: number;
  samples?: number[];
}

export interface SelfTime {
  /** `file:function` (repo-relative file, or `pkg/…` inside node_modules). */
  where: string;
  hits: number;
  ms: number;
  percent: number;
  /** % of the samples where the thread was not idle: the share of the work. */
  busyPercent: number;
}

export interface ProfileSummary {
  file: string;
  samples: number;
  /** Samples in `(idle)`: the thread waited for I/O or work. */
  idle: number;
  intervalMs: number;
  top: SelfTime[];
  /** Self time by file, biggest first (the same top-n). */
  files: SelfTime[];
}

/** `startProductProcess` options running the server under `--cpu-prof` into `dir`, if given. */
export function cpuProfileOptions(dir: string | undefined): { nodeArgs?: string[] } {
  return dir === undefined ? {} : { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`] };
}

/** Makes `dir` (Node writes the profile there on exit) and notes when the run began. */
export async function prepareProfileDir(dir: string): Promise<number> {
  await mkdir(dir, { recursive: true });
  return Date.now();
}

/** Where a call frame's code lives, short: repo-relative, `pkg/…` for dependencies. */
function shortFile(url: string): string {
  if (url === '') return '';
  let path = url.startsWith('file://') ? decodeURIComponent(url.slice('file://'.length)) : url;
  const modules = path.lastIndexOf('/node_modules/');
  if (modules >= 0) path = path.slice(modules + '/node_modules/'.length);
  else if (path.startsWith(REPO_ROOT)) path = path.slice(REPO_ROOT.length);
  return path.replace(/^\.pnpm\/[^/]+\/node_modules\//, '');
}

function topOf(counts: Map<string, number>, total: number, intervalMs: number, n: number) {
  const busy = total - (counts.get('(idle)') ?? 0);
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([where, hits]) => ({
      where,
      hits,
      ms: hits * intervalMs,
      percent: (100 * hits) / total,
      busyPercent: where === '(idle)' ? NaN : (100 * hits) / busy,
    }));
}

/**
 * Self time per function: each node's `hitCount` is how many samples stopped in that frame
 * itself, so summing them over nodes with the same file:function (a function has one node per
 * distinct call path) and multiplying by the sample interval gives its self time.
 */
export function summariseProfile(profile: CpuProfile, file: string, n = 15): ProfileSummary {
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) continue;
    total += hits;
    const { functionName, url, lineNumber } = node.callFrame;
    const source = shortFile(url);
    // `(program)`, `(idle)`, `(garbage collector)` have no file; name them as V8 does.
    const name = functionName === '' ? `(anonymous):${lineNumber + 1}` : functionName;
    const where = source === '' ? name : `${source}:${name}`;
    byFunction.set(where, (byFunction.get(where) ?? 0) + hits);
    const fileKey = source === '' ? name : source;
    byFile.set(fileKey, (byFile.get(fileKey) ?? 0) + hits);
  }
  const samples = profile.samples?.length ?? total;
  const intervalMs = samples === 0 ? 0 : (profile.endTime - profile.startTime) / 1000 / samples;
  return {
    file,
    samples: total,
    idle: byFunction.get('(idle)') ?? 0,
    intervalMs,
    top: topOf(byFunction, total, intervalMs, n),
    files: topOf(byFile, total, intervalMs, Math.min(n, 10)),
  };
}

/** Every `.cpuprofile` in `dir` written since `since` (ms), one summary each, biggest first. */
export async function summariseProfiles(dir: string, since: number): Promise<ProfileSummary[]> {
  const summaries: ProfileSummary[] = [];
  for (const name of await readdir(dir)) {
    if (!name.endsWith('.cpuprofile')) continue;
    const path = join(dir, name);
    if ((await stat(path)).mtimeMs < since) continue;
    const profile = JSON.parse(await readFile(path, 'utf8')) as CpuProfile;
    summaries.push(summariseProfile(profile, path));
  }
  return summaries.sort((a, b) => b.samples - a.samples);
}

const table = (rows: SelfTime[], what: string): string[] => [
  `| ${what} | self ms | % of samples | % of busy samples |`,
  '|---|---:|---:|---:|',
  ...rows.map(
    (r) =>
      `| ${r.where} | ${r.ms.toFixed(0)} | ${r.percent.toFixed(1)} | ${Number.isNaN(r.busyPercent) ? '-' : r.busyPercent.toFixed(1)} |`,
  ),
];

const busyShare = (summary: ProfileSummary): string =>
  ((100 * (summary.samples - summary.idle)) / Math.max(1, summary.samples)).toFixed(1);

/** The busiest thread's top functions and files; the other threads one line each. */
export function printProfiles(summaries: readonly ProfileSummary[], dir: string): void {
  const [main, ...others] = summaries;
  if (main === undefined) {
    console.log(`\nPROFILE: no .cpuprofile written to ${dir} (did the node exit cleanly?)`);
    return;
  }
  console.log(
    `\nwhere the single node's time goes: ${main.file}, ${main.samples} samples of ${(main.intervalMs * 1000).toFixed(0)} µs, busy ${busyShare(main)} % of them (self time of the JavaScript thread; DuckDB's and libuv's native threads are not in a V8 profile)\n`,
  );
  console.log(table(main.top, 'file:function').join('\n'));
  console.log('');
  console.log(table(main.files, 'file').join('\n'));
  for (const other of others)
    console.log(
      `other thread ${other.file}: ${other.samples} samples; top ${other.top
        .slice(0, 3)
        .map((t) => `${t.where} ${t.percent.toFixed(1)} %`)
        .join(', ')}`,
    );
}
