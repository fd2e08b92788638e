import { checkStreamName, resolveStreamName } from '@o2/domain';
import type { Config } from '@o2/config';
import { pathParam } from './path-param.js';

type Params = Record<string, string | string[] | undefined>;

/**
 * The `:stream` of a route addressing an existing stream (schema, settings, delete, values).
 * A name no stream can have (`..`, `/`, control characters, too long) is a 400 naming the rule
 * rather than a lookup, by the same rules ingest applies (@o2/domain names).
 */
export function streamParam(params: Params): string {
  return checkStreamName(pathParam(params, 'stream'));
}

/**
 * The `:stream` of an ingest route, checked as the ingester will resolve it (O2's stream-name
 * formatting under ZO_FORMAT_STREAM_NAME_TO_LOWERCASE / ZO_SKIP_FORMAT_STREAM_NAME) so a name
 * that cannot become a stream is a 400 before the body is read. The name is returned as given:
 * the ingester formats it itself, and the WAL keeps what the client sent.
 */
export function ingestStreamParam(
  params: Params,
  config: Pick<Config, 'ZO_FORMAT_STREAM_NAME_TO_LOWERCASE' | 'ZO_SKIP_FORMAT_STREAM_NAME'>,
): string {
  const name = pathParam(params, 'stream');
  resolveStreamName(name, {
    toLowercase: config.ZO_FORMAT_STREAM_NAME_TO_LOWERCASE,
    skip: config.ZO_SKIP_FORMAT_STREAM_NAME,
  });
  return name;
}
