// glog/klog lines, Linux authorization (syslog without priority) and InfluxDB line protocol.
import { fn, functionError, str, type VrlFunction } from '../function.js';
import { newObject, setField, VFloat, VTimestamp, type Value, type VObject } from '../value.js';
import { parseTimestampText } from './strptime.js';

const LEVELS: Record<string, string> = { I: 'info', W: 'warning', E: 'error', F: 'fatal' };

const GLOG = /^([IWEF])(\d{8} \d{2}:\d{2}:\d{2}(?:\.\d+)?) +(\d+) ([^:\s]+):(\d+)\] ?(.*)$/s;
const KLOG = /^([IWEF])(\d{4} \d{2}:\d{2}:\d{2}(?:\.\d+)?) +(\d+) ([^:\s]+):(\d+)\] ?(.*)$/s;

function glogLike(line: string, klog: boolean): VObject {
  const m = (klog ? KLOG : GLOG).exec(line);
  if (m === null) throw functionError(`failed parsing ${klog ? 'klog' : 'glog'} message`);
  const out = newObject();
  out['level'] = LEVELS[m[1] as string] as string;
  const ts = m[2] as string;
  out['timestamp'] = klog
    ? parseTimestampText(`${new Date().getUTCFullYear()}${ts}`, '%Y%m%d %H:%M:%S%.f')
    : parseTimestampText(ts, '%Y%m%d %H:%M:%S%.f');
  out['id'] = Number(m[3]);
  out['file'] = m[4] as string;
  out['line'] = Number(m[5]);
  out['message'] = m[6] as string;
  return out;
}

const AUTH = /^(\w{3} +\d{1,2} \d{2}:\d{2}:\d{2}) (\S+) ([^:[\s]+)(?:\[(\d+)\])?: (.*)$/s;

function linuxAuth(line: string): VObject {
  const m = AUTH.exec(line);
  if (m === null) throw functionError('unable to parse input as valid Linux authorization log');
  const out = newObject();
  out['timestamp'] = parseTimestampText(
    `${new Date().getUTCFullYear()} ${(m[1] as string).replace(/ +/g, ' ')}`,
    '%Y %b %e %H:%M:%S',
  );
  out['hostname'] = m[2] as string;
  out['appname'] = m[3] as string;
  if (m[4] !== undefined) out['procid'] = Number(m[4]);
  out['message'] = m[5] as string;
  return out;
}

/** Splits at `sep` outside quotes and not escaped by a backslash. */
function split(s: string, sep: string, max = Infinity): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c === '\\' && i + 1 < s.length) {
      cur += c + (s[++i] as string);
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === sep && !quoted && out.length < max - 1) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

const unescape = (s: string): string => s.replace(/\\([ ,=\\"])/g, '$1');

function influxValue(v: string): number | undefined {
  if (/^[+-]?\d+[iu]$/.test(v)) return Number(v.slice(0, -1));
  if (/^(t|T|true|True|TRUE)$/.test(v)) return 1;
  if (/^(f|F|false|False|FALSE)$/.test(v)) return 0;
  if (v.startsWith('"')) return undefined;
  const n = Number(v);
  if (v === '' || Number.isNaN(n)) throw functionError(`invalid field value ${v}`);
  return n;
}

function influx(text: string): Value[] {
  const out: Value[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const parts = split(line.trim(), ' ').filter((p) => p !== '');
    if (parts.length < 2 || parts.length > 3) throw functionError('invalid line protocol');
    const [series, fieldSet, ts] = parts as [string, string, string?];
    const [measurement, ...tagPairs] = split(series, ',');
    const tags = newObject();
    for (const t of tagPairs) {
      const [k, v] = split(t, '=', 2);
      if (k === undefined || v === undefined) throw functionError(`invalid tag ${t}`);
      setField(tags, unescape(k), unescape(v));
    }
    let timestamp: VTimestamp | undefined;
    if (ts !== undefined) {
      if (!/^-?\d+$/.test(ts)) throw functionError(`invalid timestamp ${ts}`);
      timestamp = VTimestamp.fromNanos(BigInt(ts));
    }
    for (const f of split(fieldSet, ',')) {
      const [k, v] = split(f, '=', 2);
      if (k === undefined || v === undefined) throw functionError(`invalid field ${f}`);
      const n = influxValue(v);
      if (n === undefined) continue;
      const metric = newObject();
      metric['name'] = `${unescape(measurement ?? '')}_${unescape(k)}`;
      if (tagPairs.length > 0) metric['tags'] = { ...tags };
      if (timestamp !== undefined) metric['timestamp'] = timestamp;
      metric['kind'] = 'absolute';
      metric['gauge'] = { value: Number.isInteger(n) ? new VFloat(n) : n };
      out.push(metric);
    }
  }
  return out;
}

export const glogFunctions: VrlFunction[] = [
  fn('parse_glog', ['value:string'], ([v]) => glogLike(str(v), false), { fallible: true }),
  fn('parse_klog', ['value:string'], ([v]) => glogLike(str(v), true), { fallible: true }),
  fn('parse_linux_authorization', ['value:string'], ([v]) => linuxAuth(str(v)), {
    fallible: true,
  }),
  fn('parse_influxdb', ['value:string'], ([v]) => influx(str(v)), { fallible: true }),
];
