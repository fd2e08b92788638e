import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { AppError } from '@o2/errors';
import { checkAddresses, parseDestinationUrl } from '@o2/alerts';
import type { SsrfPolicy } from '@o2/alerts';
import { guardedLookup } from './guarded-lookup.js';

export interface HttpSend {
  url: string;
  method: 'get' | 'post' | 'put';
  headers: Record<string, string>;
  body: string;
  skipTlsVerify: boolean;
  timeoutMs: number;
  policy: SsrfPolicy;
  /**
   * Read the whole answer up to this many bytes (a download, e.g. an enrichment table's CSV);
   * a longer one fails with PAYLOAD_TOO_LARGE. Without it only the first 4 KiB are kept.
   */
  maxAnswerBytes?: number;
}

export interface HttpSent {
  status: number;
  /** The first 4 KiB of the answer (for `/test` and the history). */
  body: string;
}

const MAX_ANSWER = 4096;

/**
 * One notification over HTTP(S). The connection goes only to addresses the SSRF policy allows
 * (checked in the socket's own lookup), redirects are not followed (a 3xx is an answer, not a
 * hop to somewhere unchecked), and a non-2xx answer is an error naming the status.
 */
export async function sendHttp(send: HttpSend): Promise<HttpSent> {
  await Promise.resolve();
  const url = parseDestinationUrl(send.url);
  // A literal address never goes through lookup, so it is checked here.
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(literal) !== 0) checkAddresses(literal, [literal], send.policy);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const hasBody = send.method !== 'get';
  const headers: Record<string, string> = { ...send.headers };
  if (hasBody && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
    headers['content-type'] = 'application/json';
  return new Promise<HttpSent>((resolve, reject) => {
    const req = request(
      url,
      {
        method: send.method.toUpperCase(),
        headers,
        lookup: guardedLookup(send.policy),
        rejectUnauthorized: !send.skipTlsVerify,
        timeout: send.timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        const keep = send.maxAnswerBytes ?? MAX_ANSWER;
        let size = 0;
        let tooLarge: AppError | undefined;
        res.on('data', (chunk: Buffer) => {
          if (size < keep) chunks.push(chunk);
          size += chunk.length;
          if (
            send.maxAnswerBytes !== undefined &&
            size > send.maxAnswerBytes &&
            tooLarge === undefined
          ) {
            tooLarge = new AppError(
              'PAYLOAD_TOO_LARGE',
              `The answer is larger than the limit of ${send.maxAnswerBytes} bytes`,
            );
            reject(tooLarge);
            req.destroy(tooLarge);
          }
        });
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const text = Buffer.concat(chunks).toString('utf8');
          const body = send.maxAnswerBytes === undefined ? text.slice(0, MAX_ANSWER) : text;
          if (status >= 200 && status < 300) resolve({ status, body });
          else
            reject(
              new AppError('UNAVAILABLE', `Destination answered ${status}: ${body.slice(0, 200)}`),
            );
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => {
      req.destroy(
        new AppError('DEADLINE_EXCEEDED', `Destination did not answer in ${send.timeoutMs} ms`),
      );
    });
    req.on('error', (error) => {
      reject(
        error instanceof AppError
          ? error
          : new AppError('UNAVAILABLE', `Destination unreachable: ${error.message}`),
      );
    });
    if (hasBody) req.end(send.body);
    else req.end();
  });
}
