/**
 * A bit array that grows by doubling. Used for validity (1 = value present) and for Boolean
 * values. Unset bits stay 0, so rows that are never written read as null / false for free.
 */
export class GrowableBitmap {
  private bytes: Uint8Array;
  /** Number of set bits, so null counts never need a scan. */
  private ones = 0;

  constructor(initialBits = 1024) {
    this.bytes = new Uint8Array(Math.max(8, (initialBits + 7) >> 3));
  }

  get setCount(): number {
    return this.ones;
  }

  get byteLength(): number {
    return this.bytes.byteLength;
  }

  ensure(bits: number): void {
    const need = (bits + 7) >> 3;
    if (need <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < need) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.bytes);
    this.bytes = grown;
  }

  /** Sets bit `i`; the caller has called `ensure` and never sets the same bit twice. */
  set(i: number): void {
    this.bytes[i >> 3]! |= 1 << (i & 7);
    this.ones++;
  }

  get(i: number): boolean {
    return (this.bytes[i >> 3]! & (1 << (i & 7))) !== 0;
  }

  /** Clears every bit from `from` on (used when a half-appended row is rolled back). */
  truncate(from: number, to: number): void {
    for (let i = from; i < to; i++) {
      if (this.get(i)) {
        this.bytes[i >> 3]! &= ~(1 << (i & 7));
        this.ones--;
      }
    }
  }

  /** Copies `count` bits from an Arrow bitmap starting at bit `srcOffset` to bit `dst` on. */
  copyFrom(src: Uint8Array, srcOffset: number, dst: number, count: number): void {
    this.ensure(dst + count);
    for (let i = 0; i < count; i++) {
      const s = srcOffset + i;
      if ((src[s >> 3]! & (1 << (s & 7))) !== 0) this.set(dst + i);
    }
  }

  /** Sets `count` bits from `dst` on (a run of present values). */
  setRange(dst: number, count: number): void {
    this.ensure(dst + count);
    let i = dst;
    const end = dst + count;
    for (; i < end && (i & 7) !== 0; i++) this.set(i);
    const fullBytesEnd = end & ~7;
    if (i < fullBytesEnd) {
      this.bytes.fill(0xff, i >> 3, fullBytesEnd >> 3);
      this.ones += fullBytesEnd - i;
      i = fullBytesEnd;
    }
    for (; i < end; i++) this.set(i);
  }

  /** An exact-size copy of the first `bits` bits, reordered by `perm` when given. */
  export(bits: number, perm?: Uint32Array): Uint8Array {
    const out = new Uint8Array((bits + 7) >> 3);
    if (perm === undefined) {
      out.set(this.bytes.subarray(0, out.length));
      const spare = bits & 7;
      if (spare !== 0) out[out.length - 1]! &= (1 << spare) - 1;
      return out;
    }
    const src = this.bytes;
    for (let i = 0; i < bits; i++) {
      const p = perm[i]!;
      if ((src[p >> 3]! & (1 << (p & 7))) !== 0) out[i >> 3]! |= 1 << (i & 7);
    }
    return out;
  }

  /** Bits `perm` names, in its order, plus how many of them are clear (the null count). */
  exportCounted(perm: Uint32Array): { bitmap: Uint8Array; clear: number } {
    const bitmap = this.export(perm.length, perm);
    let ones = 0;
    for (let i = 0; i < bitmap.length; i++) {
      let b = bitmap[i]!;
      // Kernighan: one step per set bit; validity bytes are mostly full or mostly empty.
      while (b !== 0) {
        b &= b - 1;
        ones++;
      }
    }
    return { bitmap, clear: perm.length - ones };
  }

  /** Clears all bits; keeps the memory when `retain`, else shrinks to `initialBits`. */
  reset(initialBits: number, retain: boolean): void {
    if (retain) this.bytes.fill(0);
    else this.bytes = new Uint8Array(Math.max(8, (initialBits + 7) >> 3));
    this.ones = 0;
  }
}
