// node services/ingester/dist/bench/decode-slices.bench.js [--bodies N]: the longest stretch of
// main-thread CPU that decoding one 2000-document `_bulk` body (k8s records) holds the event
// loop for, in one go (ZO_INGEST_SLICE_MS=0) and in 4 ms slices. Measured as CPU time
// (process.cpuUsage) so a busy shared box skews it little.
import { loadConfig } from '@o2/config';
import { generateK8sLogs } from '@o2/testing';
import { decodeInSlices } from '../decode-sliced.js';
import { decodeRequest, startDecoding } from '../ingest-pipeline.js';
import { pipelineSettings } from '../ingester-settings.js';

const at = process.argv.indexOf('--bodies');
const BODIES = at < 0 ? 20 : Number(process.argv[at + 1]);
const settings = pipelineSettings(loadConfig({}));
const nowMicros = Date.now() * 1000;
const action = `${JSON.stringify({ index: { _index: 'k8s' } })}\n`;
const bodies = Array.from({ length: BODIES }, (_, i) => {
  const records = generateK8sLogs({
    count: 2000,
    seed: i + 1,
    time: { startMicros: nowMicros - 3_600_000_000, endMicros: nowMicros - 60_000_000 },
  });
  return Buffer.from(records.map((r) => `${action}${JSON.stringify(r)}\n`).join(''));
});
const request = (body: Buffer) =>
  ({ org: 'default', streamType: 'logs', format: 'bulk', body }) as const;
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

async function main(): Promise<void> {
  for (let round = 0; round < 3; round++) {
    const whole: number[] = [];
    for (const body of bodies) {
      const c0 = cpuMs();
      decodeRequest(request(body), nowMicros, settings);
      whole.push(cpuMs() - c0);
    }
    // Sliced: the CPU between two turns of the loop (a setImmediate ticker marks each turn).
    const slices: number[] = [];
    let total = 0;
    for (const body of bodies) {
      let mark = cpuMs();
      let ticking = true;
      const tick = (): void => {
        const c = cpuMs();
        slices.push(c - mark);
        mark = c;
        if (ticking) setImmediate(tick);
      };
      setImmediate(tick);
      const c0 = cpuMs();
      await decodeInSlices(startDecoding(request(body), nowMicros, settings), 4);
      total += cpuMs() - c0;
      ticking = false;
    }
    console.log(
      `round ${round + 1}: one go: ${median(whole).toFixed(1)} ms CPU per body (max ` +
        `${Math.max(...whole).toFixed(1)}) | sliced: ${(total / bodies.length).toFixed(1)} ms ` +
        `CPU per body, longest slice ${Math.max(...slices).toFixed(1)} ms, median ` +
        `${median(slices).toFixed(1)}`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
