import type { SearchResponse } from '@o2/api-schemas';
import { serverBase } from '../app/paths';
import { ApiError } from './client';
import type { SearchQuery } from './endpoints';

export interface StreamHandlers {
  /** The response without hits (total, took …), first. */
  onMetadata: (results: SearchResponse) => void;
  /** Each batch of hits as the router sends it. */
  onHits: (hits: Array<Record<string, unknown>>) => void;
}

interface Event {
  name: string;
  data: string;
}

/** Splits O2's event-stream framing (`event: …\ndata: …\n\n`) into events. */
export function parseEvents(buffer: string): { events: Event[]; rest: string } {
  const blocks = buffer.split('\n\n');
  const rest = blocks.pop() ?? '';
  const events = blocks.map((block) => {
    let name = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) name = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
    }
    return { name, data: data.join('\n') };
  });
  return { events, rest };
}

/**
 * `POST /api/{org}/_search_stream`: rows arrive in batches and are handed on at once; `signal`
 * cancels (the router stops when the client goes away). Resolves at `[[DONE]]`.
 */
export async function searchStream(
  org: string,
  query: SearchQuery,
  signal: AbortSignal,
  handlers: StreamHandlers,
): Promise<void> {
  const response = await fetch(
    `${serverBase()}/api/${encodeURIComponent(org)}/_search_stream?type=logs`,
    {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ query }),
      signal,
    },
  );
  if (!response.ok || response.body === null) {
    const body = (await response.json().catch(() => ({}))) as { message?: string };
    throw new ApiError(
      response.status,
      body.message ?? `${response.status} ${response.statusText}`,
    );
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    const parsed = parseEvents(buffer + value);
    buffer = parsed.rest;
    for (const event of parsed.events) {
      if (event.data === '[[DONE]]') return;
      const data = JSON.parse(event.data) as Record<string, unknown>;
      if (event.name === 'error') {
        const code = typeof data['code'] === 'number' ? data['code'] : 500;
        const text = typeof data['message'] === 'string' ? data['message'] : 'search failed';
        throw new ApiError(code, text);
      }
      if (event.name === 'search_response_metadata')
        handlers.onMetadata(data['results'] as SearchResponse);
      if (event.name === 'search_response_hits')
        handlers.onHits(data['hits'] as Array<Record<string, unknown>>);
    }
  }
}
