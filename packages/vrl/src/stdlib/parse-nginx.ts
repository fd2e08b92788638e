// nginx access logs (combined, main, ingress_upstreaminfo), the nginx error log and the Apache
// error log. A field written as `-` is left out.
import { fn, functionError, optStr, str, type VrlFunction } from '../function.js';
import { newObject, setField, VFloat, type Value, type VObject } from '../value.js';
import { parseTimestampText } from './strptime.js';

type Conv = 's' | 'i' | 'f' | 't';

const HEAD = String.raw`^(\S+) - (\S+) \[([^\]]+)\] "([^"]*)" (\d{3}) (\d+|-) "([^"]*)" "([^"]*)"`;
const ACCESS: Record<string, { re: RegExp; fields: [string, Conv][] }> = {
  combined: {
    re: new RegExp(`${HEAD}(?: "([^"]*)")?\\s*$`),
    fields: [
      ['client', 's'],
      ['user', 's'],
      ['timestamp', 't'],
      ['request', 's'],
      ['status', 'i'],
      ['size', 'i'],
      ['referer', 's'],
      ['agent', 's'],
      ['compression', 's'],
    ],
  },
  main: {
    re: new RegExp(`${HEAD}(?: "([^"]*)")?\\s*$`),
    fields: [
      ['remote_addr', 's'],
      ['remote_user', 's'],
      ['timestamp', 't'],
      ['request', 's'],
      ['status', 'i'],
      ['body_bytes_size', 'i'],
      ['http_referer', 's'],
      ['http_user_agent', 's'],
      ['http_x_forwarded_for', 's'],
    ],
  },
  ingress_upstreaminfo: {
    re: new RegExp(
      `${HEAD} (\\d+) (\\S+) \\[([^\\]]*)\\] \\[([^\\]]*)\\] (\\S+(?:, \\S+)*) (\\S+(?:, \\S+)*) (\\S+(?:, \\S+)*) (\\S+(?:, \\S+)*) (\\S+)\\s*$`,
    ),
    fields: [
      ['remote_addr', 's'],
      ['remote_user', 's'],
      ['timestamp', 't'],
      ['request', 's'],
      ['status', 'i'],
      ['body_bytes_size', 'i'],
      ['http_referer', 's'],
      ['http_user_agent', 's'],
      ['request_length', 'i'],
      ['request_time', 'f'],
      ['proxy_upstream_name', 's'],
      ['proxy_alternative_upstream_name', 's'],
      ['upstream_addr', 's'],
      ['upstream_response_length', 'i'],
      ['upstream_response_time', 'f'],
      ['upstream_status', 'i'],
      ['req_id', 's'],
    ],
  },
};

function convert(v: string, c: Conv, tsFormat: string): Value {
  if (c === 't') return parseTimestampText(v, tsFormat);
  if (c === 's') return v;
  const n = Number(v);
  if (Number.isNaN(n) || (c === 'i' && !Number.isInteger(n))) return v;
  return c === 'f' && Number.isInteger(n) ? new VFloat(n) : n;
}

function fill(out: VObject, m: RegExpExecArray, fields: [string, Conv][], tsFormat: string): void {
  fields.forEach(([name, conv], i) => {
    const v = m[i + 1];
    if (v === undefined || v === '-' || v === '') return;
    setField(out, name, convert(v, conv, tsFormat));
  });
}

const ERROR =
  /^(\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}) \[(\w+)\] (\d+)#(\d+):(?: \*(\d+))? (.*?)(?:, client: ([^,]+))?(?:, server: ([^,]*))?(?:, request: "([^"]*)")?(?:, upstream: "([^"]*)")?(?:, host: "([^"]*)")?(?:, referrer: "([^"]*)")?\s*$/s;

function nginx(line: string, format: string, tsFormat: string | undefined): VObject {
  const out = newObject();
  if (format === 'error') {
    const m = ERROR.exec(line);
    if (m === null) throw functionError('failed parsing log line');
    fill(
      out,
      m,
      [
        ['timestamp', 't'],
        ['severity', 's'],
        ['pid', 'i'],
        ['tid', 'i'],
        ['cid', 'i'],
        ['message', 's'],
        ['client', 's'],
        ['server', 's'],
        ['request', 's'],
        ['upstream', 's'],
        ['host', 's'],
        ['referer', 's'],
      ],
      tsFormat ?? '%Y/%m/%d %H:%M:%S',
    );
    return out;
  }
  const spec = ACCESS[format];
  if (spec === undefined) throw functionError(`unknown format "${format}"`);
  const m = spec.re.exec(line);
  if (m === null) throw functionError('failed parsing log line');
  fill(out, m, spec.fields, tsFormat ?? '%d/%b/%Y:%H:%M:%S %z');
  return out;
}

const APACHE_ERROR =
  /^\[([^\]]+)\]\s+\[(?:([^:\]]+):)?([^\]]+)\]\s+\[pid (\d+)(?::tid (\d+))?\](?:\s+\[client ([^\]]+?)(?::(\d+))?\])?\s+(.*)$/s;

export function parseApacheError(line: string, tsFormat: string): VObject {
  const m = APACHE_ERROR.exec(line);
  if (m === null) throw functionError('failed parsing error log line');
  const out = newObject();
  fill(
    out,
    m,
    [
      ['timestamp', 't'],
      ['module', 's'],
      ['severity', 's'],
      ['pid', 'i'],
      ['thread', 's'],
      ['client', 's'],
      ['port', 'i'],
      ['message', 's'],
    ],
    tsFormat,
  );
  return out;
}

export const nginxFunctions: VrlFunction[] = [
  fn(
    'parse_nginx_log',
    ['value:string', 'format:string', 'timestamp_format:string?'],
    ([v, f, t]) => nginx(str(v), str(f), t === undefined || t === null ? undefined : optStr(t, '')),
    { fallible: true },
  ),
];
