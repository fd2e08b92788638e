import type { FileEntry } from '@o2/domain';
import { describe, expect, it } from 'vitest';
import { HotDataRequestSchema, HotDataResponseSchema } from '../gen/o2/search/v1/hot_data_pb.js';
import type { HotDataResponse } from '../gen/o2/search/v1/hot_data_pb.js';
import { SearchRequestSchema, SearchResponseSchema } from '../gen/o2/search/v1/scan_pb.js';
import type { SearchResponse } from '../gen/o2/search/v1/scan_pb.js';
import { throughWire } from '../test-support/through-wire.js';
import { arrowChunks } from './arrow-chunks.js';
import { decodeFileRef, encodeFileRef } from './file-ref.js';
import {
  collectHotData,
  decodeHotDataRequest,
  encodeHotDataRequest,
  encodeHotDataTail,
} from './hot-data.js';
import { collectScan, decodeScanRequest, encodeScanRequest, encodeScanStats } from './scan.js';
import type { ScanReport } from './scan.js';
import { FileRefSchema } from '../gen/o2/search/v1/scan_pb.js';

const file = (n: number, extra: Partial<FileEntry> = {}): FileEntry => ({
  org: 'default',
  type: 'logs',
  stream: 'app',
  date: '2026/11/28/07',
  file: `k8s_namespace=prod/f${n}.parquet`,
  minTs: 1_764_000_000_000_000 + n,
  maxTs: 1_764_000_000_999_999 + n,
  records: 10 * n,
  originalSize: 1000 * n,
  compressedSize: 300 * n,
  indexSize: n % 2 === 0 ? 0 : 77,
  flattened: false,
  ...extra,
});

const stats: ScanReport = {
  node: 'querier-2',
  files: 3,
  records: 30,
  originalSize: 6000,
  compressedSize: 1800,
  tookMs: 12,
  prunedFiles: 1,
};

async function* messages<M>(list: M[]): AsyncGenerator<M> {
  for (const m of list) yield await Promise.resolve(m);
}

describe('file ref codec', () => {
  it('brings a file entry back unchanged, scoped by the request’s org and type', () => {
    for (const entry of [file(1), file(2), file(0, { records: 0, minTs: 0, maxTs: 0 })])
      expect(decodeFileRef(entry, throughWire(FileRefSchema, encodeFileRef(entry)))).toEqual(entry);
  });

  it('does not carry flattened: it reads back false', () => {
    const flat = file(3, { flattened: true });
    expect(decodeFileRef(flat, throughWire(FileRefSchema, encodeFileRef(flat))).flattened).toBe(
      false,
    );
  });
});

/** A scan request's fields that the cases below do not vary. */
const CALL = {
  queryId: '',
  org: 'default',
  type: 'logs' as const,
  sql: 'SELECT count(*) FROM "app"',
  range: { startTs: 0, endTs: 10 },
};

describe('ScanService codec', () => {
  it('carries the leader’s stream schema and settings, and refuses a malformed schema', () => {
    const call = {
      ...CALL,
      files: [file(1)],
      stream: {
        schema: [
          { name: '_timestamp', type: 'Int64' },
          { name: 'log', type: 'Utf8' },
        ],
        settings: { full_text_search_keys: ['log'] },
      },
    };
    const wire = throughWire(SearchRequestSchema, encodeScanRequest(call));
    expect(decodeScanRequest(wire)).toEqual(call);
    const badType = { ...wire, schemaJson: '[{"name":"x","type":"VARCHAR); DROP"}]' };
    expect(() => decodeScanRequest(badType)).toThrow(/malformed stream schema/);
    expect(() => decodeScanRequest({ ...wire, schemaJson: '{' })).toThrow(/malformed/);
    expect(() => decodeScanRequest({ ...wire, settingsJson: '[1]' })).toThrow(/malformed/);
    // Refused as the caller's error, not met later as a TypeError in the worker's planning.
    const fields = (extra: string) => `[{"name":"log","type":"Utf8"},${extra}]`;
    for (const schemaJson of [
      fields('{"name":"a\\u0000b","type":"Utf8"}'),
      fields('{"name":"log","type":"Int64"}'),
      fields('{"name":"n","type":["Utf8"]}'),
    ])
      expect(() => decodeScanRequest({ ...wire, schemaJson })).toThrow(/malformed stream schema/);
    for (const keys of ['"log"', '7', '["log",1]'])
      expect(() =>
        decodeScanRequest({ ...wire, settingsJson: `{"full_text_search_keys":${keys}}` }),
      ).toThrow(/malformed stream schema/);
  });

  it('brings a scan request back unchanged, files included', () => {
    for (const files of [[file(1), file(2)], []]) {
      const call = {
        ...CALL,
        queryId: 'q-1',
        sql: 'SELECT * FROM "app"',
        range: { startTs: 1_764_000_000_000_000, endTs: 1_764_000_100_000_000 },
        files,
      };
      expect(decodeScanRequest(throughWire(SearchRequestSchema, encodeScanRequest(call)))).toEqual(
        call,
      );
    }
  });

  it('carries each file’s row ranges, and refuses ranges a file cannot have', () => {
    const call = {
      ...CALL,
      files: [file(1), file(2), file(3)],
      rowRanges: [
        [
          [0, 2],
          [5, 7],
        ] as const,
        undefined,
        [[1, 3]] as const,
      ],
    };
    const wire = throughWire(SearchRequestSchema, encodeScanRequest(call));
    expect(decodeScanRequest(wire)).toEqual(call);
    // No file narrowed: nothing travels, and the worker reads every file whole.
    const whole = { ...call, rowRanges: [undefined, undefined, undefined] };
    const plain = throughWire(SearchRequestSchema, encodeScanRequest(whole));
    expect(plain.rowRanges).toEqual([]);
    expect(decodeScanRequest(plain).rowRanges).toBeUndefined();
    const records = file(1).records;
    for (const bounds of [[0n], [3n, 3n], [4n, 2n], [0n, 4n, 3n, 6n], [0n, BigInt(records + 1)]]) {
      const bad = { ...wire, rowRanges: [{ ...wire.rowRanges[0]!, bounds }] };
      expect(() => decodeScanRequest(bad)).toThrow(/malformed row ranges/);
    }
    const extra = { ...wire, rowRanges: [...wire.rowRanges, wire.rowRanges[0]!] };
    expect(() => decodeScanRequest(extra)).toThrow(/more row ranges than files/);
  });

  it('collects the chunks in order and the stats of the last message', async () => {
    const bytes = Uint8Array.from({ length: 10 }, (_, i) => i);
    const chunks = [...arrowChunks(bytes, 4)];
    expect(chunks.map((c) => [...c])).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
    const wire: SearchResponse[] = [
      ...chunks.map((arrowIpc) => throughWire(SearchResponseSchema, { arrowIpc })),
      throughWire(SearchResponseSchema, { stats: encodeScanStats(stats) }),
    ];
    const answer = await collectScan(messages(wire));
    expect(Buffer.concat(answer.chunks)).toEqual(Buffer.from(bytes));
    expect(answer.stats).toEqual(stats);
    expect(await collectScan(messages([]))).toEqual({ chunks: [], parquet: [] });
  });
});

describe('HotDataService codec', () => {
  it('brings a hot-data request back unchanged, with and without columns', () => {
    for (const columns of [[], ['_timestamp', 'log']]) {
      const call = {
        queryId: '',
        ref: { org: 'o', type: 'metrics' as const, name: 'cpu' },
        range: { startTs: 0, endTs: 1 },
        columns,
      };
      expect(
        decodeHotDataRequest(throughWire(HotDataRequestSchema, encodeHotDataRequest(call))),
      ).toEqual(call);
    }
  });

  it('brings the registered files and stats of the last message back', async () => {
    const registered = [file(1), file(4)];
    const wire: HotDataResponse[] = [
      throughWire(HotDataResponseSchema, { arrowIpc: Uint8Array.of(1, 2) }),
      throughWire(
        HotDataResponseSchema,
        encodeHotDataTail(registered, { coversMs: 5_000, registeredMsAgo: [7, 8] }, stats),
      ),
    ];
    const answer = await collectHotData({ org: 'default', type: 'logs' }, messages(wire));
    expect(answer).toEqual({
      chunks: [Uint8Array.of(1, 2)],
      registered,
      ownUploadsMs: 5_000,
      registeredMsAgo: [7, 8],
      stats,
    });
  });
});
