import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { AppError } from '@o2/errors';
import { Client } from 'minio';
import { checkObjectKey, checkObjectPrefix, checkRange } from './object-key.js';
import type { ObjectBody, ObjectMeta, ObjectStore } from './object-store.js';
import { DEFAULT_PART_SIZE, MIN_PART_SIZE, s3StreamUpload } from './s3-stream-upload.js';

export interface S3ObjectStoreOptions {
  /** `http(s)://host[:port]` of MinIO or another S3; empty or absent means AWS S3. */
  endpoint?: string;
  /** Empty lets the client discover the bucket's region; new buckets then go to us-east-1. */
  region?: string;
  /** Both empty means anonymous requests. */
  accessKey?: string;
  secretKey?: string;
  bucket: string;
  /** Key prefix inside the bucket, '' or ending in '/' (a missing '/' is added). */
  prefix?: string;
  /** Virtual-hosted-style URLs (`bucket.host`) instead of path style (`host/bucket`). */
  hostedStyle?: boolean;
  /** Accept self-signed or otherwise unverifiable TLS certificates. */
  allowInvalidCertificates?: boolean;
  /**
   * Bytes per part when a stream body is uploaded in parts (at least 5 MiB, default 16 MiB);
   * also the most memory one streamed put holds at a time.
   */
  partSize?: number;
}

/** S3 accepts at most this many keys in one DeleteObjects request. */
const DELETE_BATCH = 1000;
const CONNECT_TIMEOUT_MS = 15_000;
const MISSING_OBJECT_CODES = new Set(['NoSuchKey', 'NotFound']);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
]);

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}

/** Node reports some socket failures as an AggregateError with an empty message. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.message !== '' ? error.message : (errorCode(error) ?? error.name);
}

interface Target {
  useSSL: boolean;
  endPoint: string;
  port: number | undefined;
  /** For messages: the endpoint as the user configured it. */
  display: string;
}

function parseEndpoint(endpoint: string | undefined): Target {
  if (endpoint === undefined || endpoint === '') {
    return { useSSL: true, endPoint: 's3.amazonaws.com', port: undefined, display: 'AWS S3' };
  }
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw AppError.invalidArgument(`S3 endpoint ${JSON.stringify(endpoint)} is not a URL`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.pathname.length > 1) {
    throw AppError.invalidArgument(
      `S3 endpoint ${JSON.stringify(endpoint)} must be http(s)://host[:port] without a path`,
    );
  }
  return {
    useSSL: url.protocol === 'https:',
    endPoint: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port === '' ? undefined : Number(url.port),
    display: url.origin,
  };
}

/**
 * Objects in an S3 bucket (MinIO, AWS or any S3-compatible store), under an optional key
 * prefix so several deployments can share one bucket. The constructor does no I/O; use
 * `connectS3ObjectStore` to also create the bucket and check it answers.
 */
export class S3ObjectStore implements ObjectStore {
  readonly bucket: string;
  readonly prefix: string;
  /** Where the bucket lives, for messages (never includes credentials). */
  readonly location: string;
  private readonly client: Client;
  private readonly agent: HttpAgent;
  private readonly region: string;
  private readonly partSize: number;

  constructor(options: S3ObjectStoreOptions) {
    if (
      !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(options.bucket) ||
      options.bucket.includes('..')
    ) {
      throw AppError.invalidArgument(
        `S3 bucket name ${JSON.stringify(options.bucket)} is invalid (3-63 characters: a-z, 0-9, '.', '-')`,
      );
    }
    const prefix = options.prefix ?? '';
    if (prefix !== '') checkObjectPrefix(prefix);
    this.prefix = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
    this.bucket = options.bucket;
    this.region = options.region ?? '';
    this.partSize = options.partSize ?? DEFAULT_PART_SIZE;
    if (!Number.isSafeInteger(this.partSize) || this.partSize < MIN_PART_SIZE) {
      throw AppError.invalidArgument(`S3 part size must be at least ${MIN_PART_SIZE} bytes`);
    }
    const target = parseEndpoint(options.endpoint);
    this.location = `bucket "${this.bucket}" at ${target.display}`;
    this.agent = target.useSSL
      ? new HttpsAgent({ keepAlive: true, rejectUnauthorized: !options.allowInvalidCertificates })
      : new HttpAgent({ keepAlive: true });
    this.client = new Client({
      endPoint: target.endPoint,
      ...(target.port === undefined ? {} : { port: target.port }),
      useSSL: target.useSSL,
      accessKey: options.accessKey ?? '',
      secretKey: options.secretKey ?? '',
      ...(this.region === '' ? {} : { region: this.region }),
      pathStyle: options.hostedStyle !== true,
      transportAgent: this.agent,
    });
  }

  private fullKey(key: string): string {
    checkObjectKey(key);
    return `${this.prefix}${key}`;
  }

  /** Translates client failures into AppErrors; messages name the bucket, never credentials. */
  private failure(error: unknown, action: string): AppError {
    if (error instanceof AppError) return error;
    const code = errorCode(error);
    const reason = describeError(error);
    const message = `S3 ${action} in ${this.location} failed: ${reason}`;
    if (code !== undefined && NETWORK_CODES.has(code)) {
      return new AppError('UNAVAILABLE', message, { cause: error });
    }
    if (
      code === 'NoSuchBucket' ||
      code === 'AccessDenied' ||
      code === 'InvalidAccessKeyId' ||
      code === 'SignatureDoesNotMatch' ||
      code === 'SlowDown' ||
      code === 'ServiceUnavailable'
    ) {
      return new AppError('UNAVAILABLE', message, { cause: error });
    }
    return AppError.internal(message, error);
  }

  private notFound(key: string): AppError {
    return AppError.notFound(`object ${JSON.stringify(key)} not found in ${this.location}`);
  }

  /**
   * Creates the bucket when missing (safe when several nodes race to create it); UNAVAILABLE
   * when the endpoint does not answer or refuses our credentials.
   */
  async ensureBucket(): Promise<void> {
    try {
      if (await this.client.bucketExists(this.bucket)) return;
      await this.client.makeBucket(this.bucket, this.region === '' ? 'us-east-1' : this.region);
    } catch (error) {
      if (errorCode(error) === 'BucketAlreadyOwnedByYou') return;
      throw this.unreachable(describeError(error), error);
    }
  }

  /** An UNAVAILABLE error naming the bucket and endpoint (and never the credentials). */
  unreachable(reason: string, cause?: unknown): AppError {
    return new AppError('UNAVAILABLE', `cannot reach S3 ${this.location}: ${reason}`, { cause });
  }

  async put(key: string, body: ObjectBody): Promise<void> {
    const name = this.fullKey(key);
    try {
      // A single PUT, or a multipart upload completed at the end, replaces the object in one
      // step in S3, which is what makes this atomic for readers.
      if (body instanceof Uint8Array) {
        const bytes = Buffer.from(body.buffer, body.byteOffset, body.length);
        await this.client.putObject(this.bucket, name, bytes);
      } else {
        await s3StreamUpload(this.client, this.bucket, name, body, this.partSize);
      }
    } catch (error) {
      throw this.failure(error, `put of ${JSON.stringify(key)}`);
    }
  }

  async get(key: string): Promise<Readable> {
    const name = this.fullKey(key);
    try {
      return await this.client.getObject(this.bucket, name);
    } catch (error) {
      if (MISSING_OBJECT_CODES.has(errorCode(error) ?? '')) throw this.notFound(key);
      throw this.failure(error, `get of ${JSON.stringify(key)}`);
    }
  }

  async getBytes(key: string): Promise<Buffer> {
    const stream = await this.get(key);
    try {
      return await buffer(stream);
    } catch (error) {
      throw this.failure(error, `read of ${JSON.stringify(key)}`);
    }
  }

  async getRange(key: string, offset: number, length: number): Promise<Buffer> {
    const name = this.fullKey(key);
    checkRange(offset, length);
    if (length === 0) {
      // The client reads "to the end" for length 0, so only the existence check is needed.
      if ((await this.head(key)) === undefined) throw this.notFound(key);
      return Buffer.alloc(0);
    }
    try {
      return await buffer(await this.client.getPartialObject(this.bucket, name, offset, length));
    } catch (error) {
      const code = errorCode(error);
      if (MISSING_OBJECT_CODES.has(code ?? '')) throw this.notFound(key);
      // 416: the range starts at or past the end (or the object is empty), so nothing exists.
      if (code === 'InvalidRange') return Buffer.alloc(0);
      throw this.failure(error, `range read of ${JSON.stringify(key)}`);
    }
  }

  async head(key: string): Promise<ObjectMeta | undefined> {
    const name = this.fullKey(key);
    try {
      const stat = await this.client.statObject(this.bucket, name);
      return { key, size: stat.size, lastModified: stat.lastModified };
    } catch (error) {
      if (MISSING_OBJECT_CODES.has(errorCode(error) ?? '')) return undefined;
      throw this.failure(error, `head of ${JSON.stringify(key)}`);
    }
  }

  async *list(prefix: string): AsyncIterable<ObjectMeta> {
    checkObjectPrefix(prefix);
    const stream = this.client.listObjectsV2(this.bucket, `${this.prefix}${prefix}`, true);
    try {
      for await (const item of stream as AsyncIterable<{
        name?: string;
        size?: number;
        lastModified?: Date;
      }>) {
        if (item.name === undefined) continue;
        yield {
          key: item.name.slice(this.prefix.length),
          size: item.size ?? 0,
          lastModified: item.lastModified ?? new Date(0),
        };
      }
    } catch (error) {
      throw this.failure(error, `list of ${JSON.stringify(prefix)}`);
    }
  }

  async deleteMany(keys: readonly string[]): Promise<void> {
    const names = [...new Set(keys)].map((key) => this.fullKey(key));
    // Batches run one after another: the client would fire them all at once.
    for (let i = 0; i < names.length; i += DELETE_BATCH) {
      const batch = names.slice(i, i + DELETE_BATCH);
      let results: Awaited<ReturnType<Client['removeObjects']>>;
      try {
        results = await this.client.removeObjects(this.bucket, batch);
      } catch (error) {
        throw this.failure(error, `delete of ${batch.length} objects`);
      }
      const failed = results.filter(
        (r) => r?.Error !== undefined && !MISSING_OBJECT_CODES.has(r.Error.Code ?? ''),
      );
      const first = failed[0]?.Error;
      if (first !== undefined) {
        throw new AppError(
          'UNAVAILABLE',
          `S3 delete in ${this.location} failed for ${failed.length} of ${batch.length} objects, first ${JSON.stringify(first.Key)}: ${first.Code ?? ''} ${first.Message ?? ''}`,
        );
      }
    }
  }

  close(): Promise<void> {
    this.agent.destroy();
    return Promise.resolve();
  }
}

/**
 * Builds an `S3ObjectStore`, creates its bucket when missing and checks that it answers, so a
 * wrong endpoint or credentials fail at start-up with UNAVAILABLE instead of at the first flush.
 */
export async function connectS3ObjectStore(options: S3ObjectStoreOptions): Promise<S3ObjectStore> {
  const store = new S3ObjectStore(options);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(store.unreachable(`no answer within ${CONNECT_TIMEOUT_MS} ms`)),
      CONNECT_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([store.ensureBucket(), timeout]);
  } catch (error) {
    await store.close();
    throw error instanceof AppError ? error : store.unreachable(String(error), error);
  } finally {
    clearTimeout(timer);
  }
  return store;
}
