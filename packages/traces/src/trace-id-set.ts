/**
 * The per-file trace-id index: every distinct trace id of one traces data file, sorted, as raw
 * 16-byte ids. A trace lookup (`trace_id = '…'`) reads only files whose set holds the id; the
 * answer is exact (no false positives, unlike a bloom filter), costs 16 bytes per trace
 * (100k traces → 1.6 MB) and a binary search per file. Ids that are not 32 hex characters are
 * left out, and a set holding any such id says so in its flag, so its file is never skipped.
 *
 * Bytes: `"O2TR"`, version `1`, flags (bit 0: the file has ids outside the set), `u32` count
 * (big-endian), then `count` × 16 bytes in ascending order.
 */
const MAGIC = [0x4f, 0x32, 0x54, 0x52]; // "O2TR"
const VERSION = 1;
const HEADER = 10;
const ID_BYTES = 16;
const HEX_ID = /^[0-9a-f]{32}$/;

/**
 * Builds the set from a file's `trace_id` values (nulls and repeats allowed). It runs on the
 * ingester's event loop once per uploaded traces file (tens of thousands of values, each trace
 * id on several spans), so values are deduplicated first and only distinct ones are checked,
 * and the ids are written as hex straight into the output.
 */
export function buildTraceIdSet(values: Iterable<string | null | undefined>): Uint8Array {
  const distinct = new Set<string>();
  for (const value of values) if (value !== null && value !== undefined) distinct.add(value);
  const ids: string[] = [];
  let lowered: Set<string> | undefined;
  let incomplete = false;
  for (const value of distinct) {
    if (HEX_ID.test(value)) {
      ids.push(value);
      continue;
    }
    const id = value.toLowerCase();
    // An upper-case spelling may repeat an id already kept: collected apart, merged below.
    if (HEX_ID.test(id)) (lowered ??= new Set()).add(id);
    else incomplete = true;
  }
  for (const id of lowered ?? []) if (!distinct.has(id)) ids.push(id);
  ids.sort();
  const out = Buffer.alloc(HEADER + ids.length * ID_BYTES);
  out.set(MAGIC, 0);
  out[4] = VERSION;
  out[5] = incomplete ? 1 : 0;
  out.writeUInt32BE(ids.length, 6);
  for (let i = 0; i < ids.length; i++)
    out.write(ids[i] as string, HEADER + i * ID_BYTES, ID_BYTES, 'hex');
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

function compareAt(set: Uint8Array, offset: number, id: Uint8Array): number {
  for (let i = 0; i < ID_BYTES; i++) {
    const diff = (set[offset + i] as number) - (id[i] as number);
    if (diff !== 0) return diff;
  }
  return 0;
}

/**
 * False only when the file cannot hold a span of `traceId`: then it may be skipped. An index
 * this code cannot read (other magic or version, truncated) answers true, never a wrong skip.
 */
export function traceIdSetMayContain(set: Uint8Array, traceId: string): boolean {
  if (set.byteLength < HEADER || MAGIC.some((b, i) => set[i] !== b) || set[4] !== VERSION)
    return true;
  if (set[5] !== 0) return true;
  const id = traceId.toLowerCase();
  if (!HEX_ID.test(id)) return true;
  const count = new DataView(set.buffer, set.byteOffset, set.byteLength).getUint32(6);
  if (set.byteLength < HEADER + count * ID_BYTES) return true;
  const wanted = Buffer.from(id, 'hex');
  let lo = 0;
  let hi = count - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const cmp = compareAt(set, HEADER + mid * ID_BYTES, wanted);
    if (cmp === 0) return true;
    if (cmp < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
