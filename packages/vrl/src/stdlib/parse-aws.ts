// AWS log formats: Application Load Balancer access logs, VPC flow logs and CloudWatch Logs
// subscription messages.
import { bool, fn, functionError, optStr, str, type VrlFunction } from '../function.js';
import { newObject, setField, VFloat, VTimestamp, type Value, type VObject } from '../value.js';

/** Space-separated fields, a double-quoted field being one token (quotes removed). */
function tokens(line: string): string[] | undefined {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/gy;
  let i = 0;
  while (i < line.length) {
    while (line[i] === ' ') i++;
    if (i >= line.length) break;
    re.lastIndex = i;
    const m = re.exec(line);
    if (m === null) return undefined;
    out.push(m[1] ?? (m[2] as string));
    i = re.lastIndex;
    if (i < line.length && line[i] !== ' ') return undefined;
  }
  return out;
}

const nullable = (s: string): Value => (s === '-' ? null : s);

function float(s: string, field: string): Value {
  const n = Number(s);
  if (s === '' || Number.isNaN(n)) throw functionError(`failed to parse ${field} as float`);
  return Number.isInteger(n) ? new VFloat(n) : n;
}

function integer(s: string, field: string): number {
  if (!/^-?\d+$/.test(s)) throw functionError(`failed to parse ${field} as integer`);
  return Number(s);
}

const ALB_FIELDS = 29;

function alb(line: string, strict: boolean): VObject {
  const t = tokens(line);
  if (t === undefined || t.length < ALB_FIELDS)
    throw functionError('Unable to parse ALB log: not enough fields');
  if (strict && t.length > ALB_FIELDS + 1)
    throw functionError('Unable to parse ALB log: unexpected trailing fields');
  const at = (i: number): string => t[i] as string;
  const out = newObject();
  const put = (k: string, v: Value): void => setField(out, k, v);
  put('type', at(0));
  put('timestamp', at(1));
  put('elb', at(2));
  put('client_host', at(3));
  put('target_host', nullable(at(4)));
  put('request_processing_time', float(at(5), 'request_processing_time'));
  put('target_processing_time', float(at(6), 'target_processing_time'));
  put('response_processing_time', float(at(7), 'response_processing_time'));
  put('elb_status_code', nullable(at(8)));
  put('target_status_code', nullable(at(9)));
  put('received_bytes', integer(at(10), 'received_bytes'));
  put('sent_bytes', integer(at(11), 'sent_bytes'));
  const req = /^(\S+) (\S+) (\S+)$/.exec(at(12));
  if (req === null) throw functionError('Unable to parse ALB log: invalid request field');
  put('request_method', req[1] as string);
  put('request_url', req[2] as string);
  put('request_protocol', req[3] as string);
  put('user_agent', nullable(at(13)));
  put('ssl_cipher', nullable(at(14)));
  put('ssl_protocol', nullable(at(15)));
  put('target_group_arn', nullable(at(16)));
  put('trace_id', nullable(at(17)));
  put('domain_name', nullable(at(18)));
  put('chosen_cert_arn', nullable(at(19)));
  put('matched_rule_priority', nullable(at(20)));
  put('request_creation_time', nullable(at(21)));
  put('actions_executed', nullable(at(22)));
  put('redirect_url', nullable(at(23)));
  put('error_reason', nullable(at(24)));
  const list = (s: string): Value[] => (s === '-' ? [] : s.split(' '));
  put('target_port_list', list(at(25)));
  put('target_status_code_list', list(at(26)));
  put('classification', nullable(at(27)));
  put('classification_reason', nullable(at(28)));
  put('traceability_id', t.length > ALB_FIELDS ? nullable(at(29)) : null);
  return out;
}

const VPC_DEFAULT =
  'version account_id interface_id srcaddr dstaddr srcport dstport protocol packets bytes start end action log_status';
const VPC_INTEGERS = new Set(
  'version srcport dstport protocol packets bytes start end tcp_flags'.split(' '),
);

function vpc(line: string, format: string): VObject {
  const names = format.trim().split(/\s+/);
  const values = line.trim().split(/\s+/);
  if (values.length !== names.length)
    throw functionError(`expected ${names.length} fields, got ${values.length}`);
  const out = newObject();
  names.forEach((n, i) => {
    const v = values[i] as string;
    setField(out, n, v === '-' ? null : VPC_INTEGERS.has(n) ? integer(v, n) : v);
  });
  return out;
}

function cloudwatch(text: string): VObject {
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch (err) {
    throw functionError(`unable to parse: ${(err as Error).message}`);
  }
  const o = j as Record<string, unknown>;
  const isStr = (v: unknown): v is string => typeof v === 'string';
  if (
    typeof o !== 'object' ||
    o === null ||
    !isStr(o['messageType']) ||
    !isStr(o['owner']) ||
    !isStr(o['logGroup']) ||
    !isStr(o['logStream']) ||
    !Array.isArray(o['subscriptionFilters']) ||
    !Array.isArray(o['logEvents'])
  )
    throw functionError('unable to parse: missing or invalid fields');
  const events = (o['logEvents'] as unknown[]).map((e) => {
    const ev = e as Record<string, unknown>;
    if (!isStr(ev['id']) || typeof ev['timestamp'] !== 'number' || !isStr(ev['message']))
      throw functionError('unable to parse: invalid log event');
    const r = newObject();
    r['id'] = ev['id'];
    r['timestamp'] = VTimestamp.fromMillis(ev['timestamp']);
    r['message'] = ev['message'];
    return r;
  });
  const out = newObject();
  out['owner'] = o['owner'];
  out['message_type'] = o['messageType'];
  out['log_group'] = o['logGroup'];
  out['log_stream'] = o['logStream'];
  out['subscription_filters'] = (o['subscriptionFilters'] as unknown[]).map(String);
  out['log_events'] = events;
  return out;
}

export const awsFunctions: VrlFunction[] = [
  fn(
    'parse_aws_alb_log',
    ['value:string', 'strict_mode:boolean?'],
    ([v, s]) => alb(str(v), bool(s, true)),
    { fallible: true },
  ),
  fn(
    'parse_aws_vpc_flow_log',
    ['value:string', 'format:string?'],
    ([v, f]) => vpc(str(v), optStr(f, VPC_DEFAULT)),
    { fallible: true },
  ),
  fn(
    'parse_aws_cloudwatch_log_subscription_message',
    ['value:string'],
    ([v]) => cloudwatch(str(v)),
    {
      fallible: true,
    },
  ),
];
