/**
 * `JSON.stringify` for arrays and too-deep objects. `JSON.stringify` is native and fast but
 * throws on `bigint`; only then do we fall back to a slower serializer that writes bigints as
 * bare JSON integers, which is what they were in the original document.
 */
export function toJsonText(value: object): string {
  try {
    return JSON.stringify(value);
  } catch (err) {
    if (err instanceof TypeError && containsBigInt(value, 0)) {
      return stringifyWithBigInt(value) ?? 'null';
    }
    throw err;
  }
}

function containsBigInt(value: unknown, depth: number): boolean {
  if (typeof value === 'bigint') return true;
  if (typeof value !== 'object' || value === null || depth > 256) return false;
  if (Array.isArray(value)) return value.some((v) => containsBigInt(v, depth + 1));
  for (const k in value) {
    if (containsBigInt((value as Record<string, unknown>)[k], depth + 1)) return true;
  }
  return false;
}

function stringifyWithBigInt(value: unknown): string | undefined {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) {
    const parts = value.map((v) => {
      const s = stringifyWithBigInt(v);
      return s === undefined ? 'null' : s;
    });
    return `[${parts.join(',')}]`;
  }
  if (typeof value === 'object' && value !== null) {
    const parts: string[] = [];
    for (const k in value) {
      const s = stringifyWithBigInt((value as Record<string, unknown>)[k]);
      if (s !== undefined) parts.push(`${JSON.stringify(k)}:${s}`);
    }
    return `{${parts.join(',')}}`;
  }
  // undefined, functions and symbols give undefined, and are left out as JSON.stringify does.
  return JSON.stringify(value);
}
