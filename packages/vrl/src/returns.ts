// What each function returns, as kinds, for the fallibility checker: an argument whose kinds
// are known and fit the parameter keeps a call infallible. A function not listed here returns
// "unknown", which the checker never holds against a caller.
import type { Kind } from './value.js';
import { CODEC_RETURNS } from './stdlib/returns-codecs.js';

const S = 'string';
const I = 'integer';
const F = 'float';
const B = 'boolean';
const A = 'array';
const O = 'object';
const T = 'timestamp';
const R = 'regex';

const TABLE: Record<string, string> = {
  [S]: 'upcase downcase strip_whitespace strip_ansi_escape_codes truncate join replace camelcase pascalcase snakecase kebabcase screamingsnakecase sieve format_int format_number to_string string encode_json encode_base64 decode_base64 encode_base16 decode_base16 encode_percent decode_percent md5 sha1 sha2 sha3 hmac crc encode_gzip decode_gzip encode_zlib decode_zlib uuid_v4 uuid_v7 get_hostname get_timezone_name random_bytes format_timestamp encode_key_value encode_logfmt replace_with encode_punycode decode_punycode ip_ntoa ip_ntop ip_pton ip_subnet ip_to_ipv6 ipv6_to_ipv4 to_syslog_level to_syslog_facility dirname basename redact uuid_from_friendly_id',
  [I]: 'strlen length find to_int int parse_int to_unix_timestamp tally_value to_syslog_severity to_syslog_facility_code ip_aton random_int',
  [F]: 'to_float float parse_float shannon_entropy random_float parse_duration',
  [B]: 'is_string is_integer is_float is_boolean is_null is_array is_object is_regex is_timestamp is_nullish is_empty is_json contains contains_all starts_with ends_with match match_any includes match_array to_bool bool assert assert_eq exists random_bool ip_cidr_contains is_ipv4 is_ipv6 match_datadog_query',
  [A]: 'split append push pop chunks unique zip keys values parse_regex_all parse_tokens parse_csv array split_path parse_influxdb',
  [O]: 'merge object parse_regex parse_key_value parse_logfmt parse_query_string parse_url unflatten tally object_from_array parse_syslog parse_common_log parse_apache_log parse_nginx_log parse_aws_alb_log parse_aws_vpc_flow_log parse_user_agent parse_cef parse_glog parse_klog parse_linux_authorization parse_grok parse_groks parse_etld parse_ruby_hash parse_xml parse_aws_cloudwatch_log_subscription_message',
  [T]: 'now to_timestamp timestamp parse_timestamp from_unix_timestamp',
  [R]: 'to_regex',
  null: 'log set_secret remove_secret for_each',
  'string|integer': 'slice_unused',
  'string|null': 'get_secret',
  'integer|float': 'abs ceil floor round mod parse_bytes',
  'string|array': 'slice',
  'array|object': 'flatten compact map_values filter set remove',
};

export const RETURNS: ReadonlyMap<string, readonly Kind[]> = new Map(
  [...Object.entries(TABLE), ...Object.entries(CODEC_RETURNS)].flatMap(([kinds, names]) =>
    names.split(' ').map((n) => [n, kinds.split('|') as Kind[]] as const),
  ),
);
