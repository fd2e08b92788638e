// Reading, writing and deleting along a path (`.a.b[2]`), with VRL's rules: a missing step reads
// as null; a write creates objects/arrays on the way and pads arrays with nulls; a negative index
// counts from the end (and a write before the start pads at the front).
import type { Segment } from './ast.js';
import { getField, isObject, newObject, setField, type Value, type VObject } from './value.js';

export function getPath(root: Value, path: readonly Segment[]): Value {
  let cur: Value = root;
  for (const seg of path) {
    if (seg.kind === 'index') {
      if (!Array.isArray(cur)) return null;
      const i = seg.index < 0 ? cur.length + seg.index : seg.index;
      cur = i >= 0 && i < cur.length ? (cur[i] as Value) : null;
    } else {
      if (!isObject(cur)) return null;
      if (seg.kind === 'field') cur = getField(cur, seg.name) ?? null;
      else {
        const obj: VObject = cur;
        const name = seg.names.find(
          (n) => getField(obj, n) !== undefined && getField(obj, n) !== null,
        );
        cur = name === undefined ? null : (getField(obj, name) ?? null);
      }
    }
  }
  return cur;
}

function fieldName(container: Value, seg: Segment): string {
  if (seg.kind === 'field') return seg.name;
  if (seg.kind === 'coalesce') {
    const obj = isObject(container) ? container : undefined;
    return (
      seg.names.find((n) => obj !== undefined && getField(obj, n) !== undefined) ??
      (seg.names[seg.names.length - 1] as string)
    );
  }
  return '';
}

/** Sets `value` at `path` under `root` and returns the (possibly new) root. */
export function setPath(root: Value, path: readonly Segment[], value: Value): Value {
  if (path.length === 0) return value;
  const [seg, ...rest] = path as [Segment, ...Segment[]];
  if (seg.kind === 'index') {
    const arr: Value[] = Array.isArray(root) ? root : [];
    let i = seg.index;
    if (i < 0) {
      i += arr.length;
      if (i < 0) {
        arr.unshift(...new Array<Value>(-i).fill(null));
        i = 0;
      }
    }
    while (arr.length <= i) arr.push(null);
    arr[i] = setPath(arr[i] as Value, rest, value);
    return arr;
  }
  const obj: VObject = isObject(root) ? root : newObject();
  const name = fieldName(obj, seg);
  setField(obj, name, setPath(getField(obj, name) ?? null, rest, value));
  return obj;
}

/** Removes the value at `path` (compacting nothing) and returns it, or null when absent. */
export function deletePath(root: Value, path: readonly Segment[]): Value {
  if (path.length === 0) return root;
  const parent = getPath(root, path.slice(0, -1));
  const last = path[path.length - 1] as Segment;
  if (last.kind === 'index') {
    if (!Array.isArray(parent)) return null;
    const i = last.index < 0 ? parent.length + last.index : last.index;
    if (i < 0 || i >= parent.length) return null;
    return parent.splice(i, 1)[0] as Value;
  }
  if (!isObject(parent)) return null;
  const name = fieldName(parent, last);
  const old = getField(parent, name);
  if (old === undefined) return null;
  delete parent[name];
  return old;
}

export function pathExists(root: Value, path: readonly Segment[]): boolean {
  if (path.length === 0) return true;
  const parent = getPath(root, path.slice(0, -1));
  const last = path[path.length - 1] as Segment;
  if (last.kind === 'index') {
    if (!Array.isArray(parent)) return false;
    const i = last.index < 0 ? parent.length + last.index : last.index;
    return i >= 0 && i < parent.length;
  }
  if (!isObject(parent)) return false;
  return getField(parent, fieldName(parent, last)) !== undefined;
}

/** VRL's path text: `.a.b[0]`, quoting fields that are not plain identifiers. */
export function pathText(prefix: string, path: readonly Segment[]): string {
  let s = '';
  for (const seg of path) {
    if (seg.kind === 'index') s += `[${seg.index}]`;
    else if (seg.kind === 'field')
      s += /^[A-Za-z0-9_@]+$/.test(seg.name) ? `.${seg.name}` : `."${seg.name}"`;
    else s += `.(${seg.names.join(' | ')})`;
  }
  if (prefix === '.' && s.startsWith('.')) return s;
  return `${prefix}${s}` || prefix;
}
