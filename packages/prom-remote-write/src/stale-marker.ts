/**
 * Prometheus marks the end of a series with a NaN of one exact bit pattern (0x7ff0000000000002,
 * "StaleNaN"); any other NaN is an ordinary value. Told apart by the raw bits.
 */
const STALE_HIGH = 0x7ff0_0000;
const STALE_LOW = 0x0000_0002;

const view = new DataView(new ArrayBuffer(8));

export function isStaleMarker(value: number): boolean {
  if (!Number.isNaN(value)) return false;
  view.setFloat64(0, value);
  return view.getUint32(0) === STALE_HIGH && view.getUint32(4) === STALE_LOW;
}

/** The stale-marker NaN itself, for senders (tests). */
export function staleMarker(): number {
  view.setUint32(0, STALE_HIGH);
  view.setUint32(4, STALE_LOW);
  return view.getFloat64(0);
}
