/**
 * Full-text fields every stream searches when they are in its schema: the installation guide's
 * `log, message, content, data, events, json` plus O2's newer `msg, body, error`. A stream adds
 * its own with `settings.full_text_search_keys`. `/config` shows them as `default_fts_keys`.
 */
export const DEFAULT_FTS_FIELDS: readonly string[] = [
  'log',
  'message',
  'msg',
  'content',
  'data',
  'events',
  'body',
  'json',
  'error',
];
