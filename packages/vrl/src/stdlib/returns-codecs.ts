// Return kinds of the codec, crypto, hash and host functions (merged into RETURNS), kept apart
// from returns.ts so that the families can grow without touching the shared table.
export const CODEC_RETURNS: Record<string, string> = {
  string:
    'decode_charset encode_charset decode_mime_q encrypt decrypt encrypt_ip decrypt_ip community_id encode_lz4 decode_lz4 encode_snappy decode_snappy encode_zstd decode_zstd uuid_from_friendly_id get_env_var reverse_dns',
  integer: 'seahash',
  'integer|string': 'xxhash',
  boolean: 'validate_json_schema',
  array: 'unnest',
};
