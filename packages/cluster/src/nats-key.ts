import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';

const PLAIN = /[A-Za-z0-9_/-]/;

/**
 * NATS KV keys allow only `[-/_=.A-Za-z0-9]` and treat `.` as a token separator. Any string is
 * mapped to one token by escaping every other UTF-8 byte as `=XX`; the mapping is reversible
 * and keeps string prefixes, which `keys(prefix)` relies on.
 */
export function encodeNatsKey(key: string): string {
  let out = '';
  for (const char of key) {
    if (PLAIN.test(char)) {
      out += char;
      continue;
    }
    for (const byte of Buffer.from(char, 'utf8'))
      out += `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export function decodeNatsKey(encoded: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < encoded.length; i++) {
    if (encoded[i] === '=') {
      bytes.push(Number.parseInt(encoded.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(encoded.charCodeAt(i));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** True when a compare-and-set write lost the race (the key's revision moved on). */
export function isWrongLastSequence(err: unknown): boolean {
  return (
    err instanceof JetStreamApiError &&
    (err.code === JetStreamApiCodes.StreamWrongLastSequence ||
      err.code === JetStreamApiCodes.StreamWrongLastSequenceUnknown)
  );
}
