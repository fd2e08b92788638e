/**
 * `JSON.stringify` for arrays and too-deep objects. `JSON.stringify` is native and fast but
 * throws on `bigint` (TypeError) and, being recursive, on nesting a few thousand levels deep
 * (RangeError, "Maximum call stack size exceeded"). Only then do we fall back to a slower
 * serializer that keeps its own stack, so any depth the JSON parser accepted can be written
 * back, and that writes bigints as bare JSON integers, which is what they were in the input.
 */
export function toJsonText(value: object): string {
  try {
    return JSON.stringify(value);
  } catch (err) {
    if (err instanceof TypeError || err instanceof RangeError) return stringifyIteratively(value);
    throw err;
  }
}

interface Frame {
  value: Record<string, unknown> | unknown[];
  keys: string[] | undefined;
  next: number;
  wrote: boolean;
}

/** A scalar as JSON text; undefined for what JSON.stringify leaves out of objects. */
function scalarText(v: unknown): string | undefined {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return JSON.stringify(v);
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null';
    case 'bigint':
      return v.toString();
    case 'object':
      return v === null ? 'null' : undefined;
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
}

function stringifyIteratively(root: object): string {
  const out: string[] = [];
  const stack: Frame[] = [];
  const open = (v: object): void => {
    const isArray = Array.isArray(v);
    out.push(isArray ? '[' : '{');
    stack.push({
      value: v as Frame['value'],
      keys: isArray ? undefined : Object.keys(v),
      next: 0,
      wrote: false,
    });
  };
  open(root);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as Frame;
    const { keys } = frame;
    const length = keys === undefined ? (frame.value as unknown[]).length : keys.length;
    if (frame.next >= length) {
      out.push(keys === undefined ? ']' : '}');
      stack.pop();
      continue;
    }
    const i = frame.next++;
    const key = keys?.[i];
    const child =
      key === undefined
        ? (frame.value as unknown[])[i]
        : (frame.value as Record<string, unknown>)[key];
    const isContainer = typeof child === 'object' && child !== null;
    const text = isContainer ? undefined : scalarText(child);
    // Objects leave out undefined/functions/symbols; arrays write null for them.
    if (!isContainer && text === undefined && key !== undefined) continue;
    if (frame.wrote) out.push(',');
    frame.wrote = true;
    if (key !== undefined) out.push(`${JSON.stringify(key)}:`);
    if (isContainer) open(child);
    else out.push(text ?? 'null');
  }
  return out.join('');
}
