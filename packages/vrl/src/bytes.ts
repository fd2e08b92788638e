// VRL strings are bytes; ours are JS strings. Text is UTF-8; a result that is not valid UTF-8
// (compressed or decoded binary) is kept as a latin1 string and remembered, so a later function
// in the same chain (`decode_gzip!(decode_base64!(…))`) reads the same bytes back.
const binary = new Set<string>();
const MAX_REMEMBERED = 4096;

export function fromBytes(buf: Buffer): string {
  const text = buf.toString('utf8');
  if (Buffer.byteLength(text) === buf.length && !text.includes('\uFFFD')) return text;
  const s = buf.toString('latin1');
  if (binary.size >= MAX_REMEMBERED) binary.delete(binary.values().next().value as string);
  binary.add(s);
  return s;
}

export function toBytes(s: string): Buffer {
  return binary.has(s) ? Buffer.from(s, 'latin1') : Buffer.from(s, 'utf8');
}
