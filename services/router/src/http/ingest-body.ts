import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Transform } from 'node:stream';
import type { Request } from 'express';
import { AppError } from '@o2/errors';
import { ZstdDecoder } from './zstd-decoder.js';

type Encoding = 'gzip' | 'deflate' | 'br' | 'zstd';

const ENCODINGS: ReadonlyMap<string, Encoding> = new Map([
  ['gzip', 'gzip'],
  ['x-gzip', 'gzip'],
  ['deflate', 'deflate'],
  ['br', 'br'],
  ['zstd', 'zstd'],
]);

/** The body's one content coding, `undefined` for none; 415 for unknown or stacked codings. */
export function parseContentEncoding(header: string | undefined): Encoding | undefined {
  const codings = (header ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  if (codings.length === 0) return undefined;
  const [only] = codings;
  const encoding = codings.length === 1 && only !== undefined ? ENCODINGS.get(only) : undefined;
  if (encoding === undefined) {
    throw new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      `Unsupported Content-Encoding "${header ?? ''}"; use one of gzip, deflate, br, zstd`,
    );
  }
  return encoding;
}

function createDecoder(encoding: Encoding, limit: number): Transform {
  switch (encoding) {
    case 'gzip':
      return createGunzip();
    case 'deflate':
      return createInflate();
    case 'br':
      return createBrotliDecompress();
    case 'zstd':
      return new ZstdDecoder(limit);
  }
}

function tooLarge(what: string, limit: number): AppError {
  return new AppError('PAYLOAD_TOO_LARGE', `${what} is larger than the limit of ${limit} bytes`);
}

/**
 * Reads a raw request body (any Content-Type), decoding its Content-Encoding, with `limit`
 * applied to both the bytes received and the bytes decoded; nothing past the limit is kept.
 * On a failure the rest of the request is read and discarded before the promise rejects, so the
 * client, still uploading, receives the error response instead of a reset connection.
 */
export function readIngestBody(
  req: Request,
  limit: number,
  options: { keepCoding?: string } = {},
): Promise<Buffer> {
  // A coding the caller decodes itself (remote write's `snappy`) passes through as bytes.
  const header = req.headers['content-encoding'];
  const kept =
    options.keepCoding !== undefined && header?.trim().toLowerCase() === options.keepCoding;
  const encoding = kept ? undefined : parseContentEncoding(header);
  const declared = Number(req.headers['content-length']);
  // Node reads and discards an untouched request body itself once the response is sent.
  if (Number.isFinite(declared) && declared > limit) throw tooLarge('Request body', limit);
  const decoder = encoding === undefined ? undefined : createDecoder(encoding, limit);

  return new Promise<Buffer>((resolve, reject) => {
    const output: Buffer[] = [];
    let received = 0;
    let produced = 0;
    let requestEnded = false;
    let failure: Error | undefined;
    let settled = false;

    const settle = (error: Error | undefined): void => {
      if (settled) return;
      settled = true;
      if (error === undefined) resolve(Buffer.concat(output, produced));
      else reject(error);
    };
    const fail = (error: Error): void => {
      if (failure !== undefined || settled) return;
      failure = error;
      output.length = 0;
      decoder?.destroy();
      if (requestEnded) settle(error);
      else req.resume();
    };
    const collect = (chunk: Buffer): void => {
      if (failure !== undefined) return;
      produced += chunk.length;
      if (produced > limit) fail(tooLarge('Decompressed request body', limit));
      else output.push(chunk);
    };

    if (decoder !== undefined) {
      decoder.on('data', collect);
      decoder.on('end', () => {
        if (failure === undefined) settle(undefined);
      });
      decoder.on('error', (error) => {
        fail(
          error instanceof AppError
            ? error
            : AppError.invalidArgument(
                `failed to decompress request body (${encoding ?? ''}): ${error.message}`,
              ),
        );
      });
      decoder.on('drain', () => {
        if (failure === undefined) req.resume();
      });
    }

    req.on('data', (chunk: Buffer) => {
      if (failure !== undefined) return;
      received += chunk.length;
      if (received > limit) {
        fail(tooLarge('Request body', limit));
        return;
      }
      if (decoder === undefined) collect(chunk);
      else if (!decoder.write(chunk)) req.pause();
    });
    req.on('end', () => {
      requestEnded = true;
      if (failure !== undefined) settle(failure);
      else if (decoder === undefined) settle(undefined);
      else decoder.end();
    });
    req.on('error', (error) => {
      requestEnded = true;
      fail(AppError.invalidArgument(`request body could not be read: ${error.message}`));
      settle(failure);
    });
  });
}
