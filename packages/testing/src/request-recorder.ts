import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { gunzipSync, inflateSync } from 'node:zlib';

export interface RecordedRequest {
  method: string;
  /** Path and query, e.g. `/api/default/v1/logs`. */
  path: string;
  /** Lower-cased header names, as node gives them. */
  headers: IncomingHttpHeaders;
  /** The body as sent (possibly gzip-compressed). */
  rawBody: Buffer;
  /** The body after undoing `content-encoding` (gzip or deflate). */
  body: Buffer;
}

export interface RequestRecorder {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  port: number;
  /** Every request so far, in arrival order. */
  requests: RecordedRequest[];
  /** Resolves with the matching requests once at least `count` have arrived. */
  waitFor(
    match: (request: RecordedRequest) => boolean,
    count?: number,
    timeoutMs?: number,
  ): Promise<RecordedRequest[]>;
  stop(): Promise<void>;
}

function decode(raw: Buffer, encoding: string | undefined): Buffer {
  if (encoding === 'gzip') return gunzipSync(raw);
  if (encoding === 'deflate') return inflateSync(raw);
  return raw;
}

/**
 * An HTTP server on a random loopback port that records every request and answers 200 with an
 * empty body of the request's content type — a valid (empty) OTLP export response — so a real
 * exporter (the collector's otlphttp) can be pointed at it and its requests asserted.
 */
export async function startRequestRecorder(): Promise<RequestRecorder> {
  const requests: RecordedRequest[] = [];
  const record = (request: IncomingMessage, response: ServerResponse): void => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const rawBody = Buffer.concat(chunks);
      const encoding = request.headers['content-encoding'];
      let body: Buffer;
      try {
        body = decode(rawBody, encoding);
      } catch {
        response.writeHead(400).end('undecodable body');
        return;
      }
      requests.push({
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        rawBody,
        body,
      });
      const type = request.headers['content-type'] ?? 'application/x-protobuf';
      response.writeHead(200, { 'content-type': type });
      response.end(type.includes('json') ? '{}' : '');
    });
  };
  const server = createServer(record);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    async waitFor(match, count = 1, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = requests.filter(match);
        if (found.length >= count) return found;
        if (Date.now() > deadline) {
          const seen = requests.map((r) => `${r.method} ${r.path}`).join(', ') || 'none';
          throw new Error(
            `${found.length} of ${count} expected requests after ${timeoutMs} ms (seen: ${seen})`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
