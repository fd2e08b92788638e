import type { Request, Response } from 'express';
import type { SearchQuery, SearchResponseBody } from '@o2/domain';
import type { Logger } from '@o2/logger';
import { toO2ErrorResponse } from '../http/search-error-response.js';
import { sseFrame, writeSse } from '../http/sse.js';

/** O2's `ZO_STREAMING_RESPONSE_CHUNK_SIZE_MB` default: hits are sent in ~1 MB events. */
export const HITS_CHUNK_BYTES = 1024 * 1024;

const DONE = 'data: [[DONE]]\n\n';

/**
 * The `search_response_hits` frames for `hits`, built one at a time so a large answer is never
 * held twice as text: each carries as many whole hits as fit in `chunkBytes` of JSON (at least
 * one, so an oversized hit still goes out alone).
 */
export function* hitFrames(
  hits: readonly unknown[],
  chunkBytes = HITS_CHUNK_BYTES,
): Generator<string> {
  let parts: string[] = [];
  let bytes = 0;
  const frameOf = (items: string[]) =>
    `event: search_response_hits\ndata: {"hits":[${items.join(',')}]}\n\n`;
  for (const hit of hits) {
    const json = JSON.stringify(hit) ?? 'null';
    const size = Buffer.byteLength(json) + 1;
    if (parts.length > 0 && bytes + size > chunkBytes) {
      yield frameOf(parts);
      parts = [];
      bytes = 0;
    }
    parts.push(json);
    bytes += size;
  }
  if (parts.length > 0) yield frameOf(parts);
}

/**
 * `_search_stream`'s answer, framed as O2 frames it: `search_response_metadata` (the response
 * without its hits, plus `streaming_aggs` and the query's `time_offset`), the hits in ~1 MB
 * `search_response_hits` events, then `data: [[DONE]]`. The 200 and the event-stream headers go
 * out before the search runs, as O2's do, so a failure arrives as an `event: error` frame
 * (`{code, message, error_detail}`) followed by `[[DONE]]`.
 */
export async function sendSearchStream(
  req: Request,
  res: Response,
  query: SearchQuery,
  run: () => Promise<SearchResponseBody>,
  logger: Logger,
): Promise<void> {
  res.status(200).set({
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    'x-accel-buffering': 'no',
  });
  res.flushHeaders();
  let body: SearchResponseBody;
  try {
    body = await run();
  } catch (error) {
    const response = toO2ErrorResponse(error);
    if (response.status >= 500)
      logger.error({ err: error, url: req.originalUrl }, 'streamed search failed');
    if (await writeSse(res, sseFrame('error', response.body))) await writeSse(res, DONE);
    res.end();
    return;
  }
  const hits = Array.isArray(body['hits']) ? (body['hits'] as unknown[]) : [];
  const metadata = {
    results: { ...body, hits: [] },
    streaming_aggs: false,
    time_offset: { start_time: query.startTime, end_time: query.endTime },
  };
  if (!(await writeSse(res, sseFrame('search_response_metadata', metadata)))) return;
  for (const piece of hitFrames(hits)) if (!(await writeSse(res, piece))) return;
  if (await writeSse(res, DONE)) res.end();
}
