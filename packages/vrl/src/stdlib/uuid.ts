// uuid_from_friendly_id: a "friendly ID" is a UUID's 128 bits written in base 62
// (0-9, A-Z, a-z), at most 22 characters.
import { fn, functionError, type VrlFunction } from '../function.js';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function fromFriendly(id: string): string {
  if (id.length === 0 || id.length > 22) throw functionError('invalid friendly id: wrong length');
  let n = 0n;
  for (const ch of id) {
    const d = ALPHABET.indexOf(ch);
    if (d < 0)
      throw functionError(`invalid friendly id: unexpected character ${JSON.stringify(ch)}`);
    n = n * 62n + BigInt(d);
  }
  if (n >> 128n !== 0n) throw functionError('invalid friendly id: larger than 128 bits');
  const hex = n.toString(16).padStart(32, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const uuidFunctions: VrlFunction[] = [
  fn('uuid_from_friendly_id', ['value:string'], ([v]) => fromFriendly(v as string), {
    fallible: true,
  }),
];
