import { AppError } from '@o2/errors';

/** One row group's entries of a block part: per entry (token, trigram) its block or MIXED. */
export interface GroupBlocks {
  width: number;
  blocks: Uint8Array;
}

/**
 * The byte layout the postings ("O2RP") and trigram-blocks ("O2TB") parts share, told apart by
 * their magic: magic, u32 groups, then per group u32 length (0: none) + u32 width + one byte
 * per entry.
 */
export function encodeBlockPart(
  magic: readonly number[],
  groups: ReadonlyArray<GroupBlocks | undefined>,
): Uint8Array {
  const size = groups.reduce((n, g) => n + 4 + (g === undefined ? 0 : 4 + g.blocks.length), 8);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out.set(magic, 0);
  view.setUint32(4, groups.length);
  let at = 8;
  for (const group of groups) {
    view.setUint32(at, group === undefined ? 0 : 4 + group.blocks.length);
    if (group !== undefined) {
      view.setUint32(at + 4, group.width);
      out.set(group.blocks, at + 8);
      at += 4 + group.blocks.length;
    }
    at += 4;
  }
  return out;
}

/**
 * Per group, its blocks (undefined: none) and where the part ends, or undefined when no part
 * with `magic` starts at `at`; a truncated part fails as "not a token index (`what`)".
 */
export function decodeBlockPart(
  index: Uint8Array,
  at: number,
  magic: readonly number[],
  what: string,
): { groups: Array<GroupBlocks | undefined>; end: number } | undefined {
  if (at + 8 > index.length || magic.some((b, i) => index[at + i] !== b)) return undefined;
  const bad = (): AppError => AppError.invalidArgument(`not a token index (${what})`);
  const view = new DataView(index.buffer, index.byteOffset, index.byteLength);
  const count = view.getUint32(at + 4);
  at += 8;
  const groups: Array<GroupBlocks | undefined> = [];
  for (let g = 0; g < count; g++) {
    if (at + 4 > index.length) throw bad();
    const len = view.getUint32(at);
    if (at + 4 + len > index.length || (len > 0 && len < 4)) throw bad();
    groups.push(
      len === 0
        ? undefined
        : { width: view.getUint32(at + 4), blocks: index.subarray(at + 8, at + 4 + len) },
    );
    at += 4 + len;
  }
  return { groups, end: at };
}
