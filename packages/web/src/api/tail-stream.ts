import { serverBase } from '../app/paths';
import { ApiError } from './client';
import { parseEvents } from './search-stream';

export interface TailHandlers {
  /** Subscribed on every ingester: rows acknowledged from now on will arrive. */
  onReady: () => void;
  /** New rows, in the order the ingesters acknowledged them. */
  onRows: (hits: Array<Record<string, unknown>>) => void;
  /** Rows the server dropped because this reader fell behind (its buffer is bounded). */
  onDropped: (count: number) => void;
}

/**
 * `GET /api/{org}/{stream}/_tail?type=logs&filter=…`: live tail as Server-Sent Events, read with
 * fetch (the session cookie goes along; EventSource could not report the 4xx body). Runs until
 * `signal` aborts (resolves) or the stream fails (rejects with the router's message).
 */
export async function tailStream(
  org: string,
  stream: string,
  filter: string,
  signal: AbortSignal,
  handlers: TailHandlers,
): Promise<void> {
  const query = new URLSearchParams({ type: 'logs' });
  if (filter.trim() !== '') query.set('filter', filter);
  const path = `/api/${encodeURIComponent(org)}/${encodeURIComponent(stream)}/_tail?${query}`;
  let response: Response;
  try {
    response = await fetch(`${serverBase()}${path}`, { credentials: 'same-origin', signal });
  } catch (error) {
    if (signal.aborted) return;
    throw error;
  }
  if (!response.ok || response.body === null) {
    const body = (await response.json().catch(() => ({}))) as { message?: string };
    throw new ApiError(
      response.status,
      body.message ?? `${response.status} ${response.statusText}`,
    );
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        if (signal.aborted) return;
        throw new ApiError(503, 'live tail ended: the server closed the stream');
      }
      const parsed = parseEvents(buffer + value);
      buffer = parsed.rest;
      for (const event of parsed.events) {
        const data = JSON.parse(event.data) as Record<string, unknown>;
        if (event.name === 'ready') handlers.onReady();
        else if (event.name === 'rows')
          handlers.onRows(data['hits'] as Array<Record<string, unknown>>);
        else if (event.name === 'dropped') handlers.onDropped(Number(data['dropped']));
        else if (event.name === 'error') {
          const code = typeof data['code'] === 'number' ? data['code'] : 500;
          const text = typeof data['message'] === 'string' ? data['message'] : 'live tail failed';
          throw new ApiError(code, text);
        }
      }
    }
  } catch (error) {
    if (signal.aborted) return;
    throw error;
  }
}
