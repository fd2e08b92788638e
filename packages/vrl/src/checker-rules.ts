// Tables and small rules of the fallibility checker: which functions always fail, which fail
// only on unexpected input kinds, what `ok` defaults to, and which expressions cannot fail.
import type { Expr } from './ast.js';
import type { Kinds } from './checker.js';
import { union } from './shape.js';
import { VFloat, type Kind, type Value } from './value.js';

export /** Functions that can fail whatever their arguments (parsers, decoders, assertions). */
const ALWAYS_FALLIBLE = new Set(
  (
    'parse_json parse_regex parse_regex_all parse_key_value parse_logfmt parse_syslog ' +
    'parse_timestamp parse_int parse_float parse_url parse_csv parse_duration parse_bytes ' +
    'parse_common_log parse_apache_log parse_nginx_log parse_grok parse_groks ' +
    'parse_xml parse_yaml parse_cef parse_glog parse_klog parse_aws_alb_log ' +
    'parse_aws_vpc_flow_log parse_linux_authorization parse_ruby_hash parse_influxdb ' +
    'decode_base64 decode_base16 decode_gzip decode_zlib decode_zstd decode_snappy decode_lz4 ' +
    'assert assert_eq to_regex format_timestamp to_syslog_level to_syslog_severity ' +
    'to_syslog_facility to_syslog_facility_code ip_aton ip_ntoa ip_ntop ip_pton ip_subnet ' +
    'ip_to_ipv6 ipv6_to_ipv4 ip_cidr_contains parse_cbor parse_etld parse_proto encode_proto ' +
    'parse_aws_cloudwatch_log_subscription_message uuid_from_friendly_id'
  ).split(' '),
);
/** What the closure of these functions must return. */
export const CLOSURE_RETURNS: Record<string, readonly string[]> = {
  filter: ['boolean'],
  replace_with: ['string'],
  map_keys: ['string'],
};

/** Type assertions and coercions: they fail only when the argument may be of another kind. */
export const SAFE_INPUT: Record<string, readonly string[]> = {
  string: ['string'],
  int: ['integer'],
  float: ['float'],
  bool: ['boolean'],
  array: ['array'],
  object: ['object'],
  timestamp: ['timestamp'],
  to_string: ['string', 'integer', 'float', 'boolean', 'null', 'timestamp'],
  to_int: ['integer', 'float', 'boolean', 'null', 'timestamp'],
  to_float: ['integer', 'float', 'boolean', 'null', 'timestamp'],
  to_bool: ['integer', 'float', 'boolean', 'null'],
  to_timestamp: ['timestamp'],
};
export /** VRL's default value of a kind: what `ok` holds when `ok, err = …` fails. */
function defaultOf(k: Kinds): Value {
  if (k === 'any' || k === 'unknown' || k.size !== 1) return null;
  const defaults: Partial<Record<Kind, () => Value>> = {
    integer: () => 0,
    float: () => new VFloat(0),
    string: () => '',
    boolean: () => false,
    array: () => [],
    object: () => ({}),
  };
  return defaults[[...k][0] as Kind]?.() ?? null;
}

/** Can this expression certainly not fail (so handling its error is a mistake)? */
export function certain(e: Expr): boolean {
  switch (e.type) {
    case 'literal':
    case 'template':
      return true;
    case 'query':
      return e.root.kind !== 'expr';
    case 'array':
      return e.items.every(certain);
    case 'object':
      return e.entries.every(([, v]) => certain(v));
    case 'group':
      return certain(e.expr);
    case 'abort':
    case 'assign':
    case 'binary':
    case 'block':
    case 'call':
    case 'if':
    case 'return':
    case 'unary':
      return false;
  }
}

export { union };

/** `a || b`: a constant `a` decides which side's kinds the result has. */
export function orKinds(left: Expr, l: Kinds, r: Kinds): Kinds {
  if (left.type === 'literal' && left.value === true) return l;
  if (left.type === 'literal' && (left.value === false || left.value === null)) return r;
  return union(l, r);
}
