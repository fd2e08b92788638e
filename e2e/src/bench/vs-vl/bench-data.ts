import { generateK8sLogs } from '@o2/testing';

/** The stream (O2TS) / `_index` both servers are sent; VictoriaLogs ignores the index. */
export const STREAM = 'k8s';
/** The planted rare term: in `log` of exactly {@link RARE_HITS} records, spread over the hour. */
export const RARE_TERM = 'zqxrare42';
export const RARE_HITS = 10;
const RECORDS_PER_REQUEST = 2000;
/** Records are generated per chunk (own seed and time slice) so the bench never holds them all. */
const CHUNK = 20_000;

export interface BenchData {
  /** ES `_bulk` bodies, the same bytes for both servers. */
  bodies: Buffer[];
  rawBytes: number;
  records: number;
  /** µs: every record's `_timestamp` lies in [startMicros, endMicros). */
  startMicros: number;
  endMicros: number;
}

/**
 * µs: the start of the current hour, where the benches' records end. They fill the whole hour
 * before it: O2's compactor leaves the hour still being written to fill, so records reaching up
 * to now would leave some of them (all of them, just after the hour) in uploaded-but-unmerged
 * files, and the stored size would depend on the time of day.
 */
export function lastWholeHourEndMicros(nowMs = Date.now()): number {
  return Math.floor(nowMs / 3_600_000) * 3_600_000_000;
}

/**
 * `records` k8s log records (the repo's seeded generator) with `_timestamp`s spread over the
 * hour before `endMicros`, {@link RARE_TERM} planted in {@link RARE_HITS} of them, as ES bulk
 * bodies of 2,000 documents each.
 */
export function makeBenchData(records: number, endMicros: number, seed = 1): BenchData {
  const startMicros = endMicros - 3600 * 1_000_000;
  const span = endMicros - startMicros;
  const rareAt = new Set(
    Array.from({ length: RARE_HITS }, (_, i) => Math.floor(((i + 0.5) * records) / RARE_HITS)),
  );
  const action = `${JSON.stringify({ index: { _index: STREAM } })}\n`;
  const bodies: Buffer[] = [];
  let lines: string[] = [];
  let rawBytes = 0;
  let pendingRare = 0;
  const flush = (): void => {
    const body = Buffer.from(lines.join(''));
    bodies.push(body);
    rawBytes += body.byteLength;
    lines = [];
  };
  for (let first = 0; first < records; first += CHUNK) {
    const count = Math.min(CHUNK, records - first);
    const chunk = generateK8sLogs({
      count,
      seed: seed * 100_003 + first / CHUNK,
      time: {
        startMicros: startMicros + Math.floor((first * span) / records),
        endMicros: startMicros + Math.floor(((first + count) * span) / records),
      },
    });
    chunk.forEach((record, i) => {
      if (rareAt.has(first + i)) pendingRare++;
      // Planted in the next record that has a `log` line (the structured workload has none).
      if (pendingRare > 0 && typeof record['log'] === 'string') {
        record['log'] = `${record['log']} ${RARE_TERM} `;
        pendingRare--;
      }
      lines.push(action, `${JSON.stringify(record)}\n`);
      if (lines.length >= RECORDS_PER_REQUEST * 2) flush();
    });
  }
  if (lines.length > 0) flush();
  return { bodies, rawBytes, records, startMicros, endMicros };
}

/** One `_bulk` body of a single record carrying `token`, stamped now (ack → searchable probe). */
export function probeBody(token: string, micros: number): Buffer {
  const doc = { _timestamp: micros, log: `probe ${token} line`, stream: 'stdout' };
  return Buffer.from(`${JSON.stringify({ index: { _index: STREAM } })}\n${JSON.stringify(doc)}\n`);
}
