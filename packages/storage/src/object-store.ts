import type { Readable } from 'node:stream';

/** What `head` and `list` report about one stored object. */
export interface ObjectMeta {
  /** The `/`-separated key, relative to the store (never including an S3 bucket prefix). */
  key: string;
  /** Size in bytes. */
  size: number;
  lastModified: Date;
}

export type ObjectBody = Uint8Array | Readable;

/**
 * Where Parquet files and other immutable objects live: a local directory or an S3 bucket.
 * Keys are `/`-separated relative paths (see `checkObjectKey` for the rules); every
 * implementation enforces the same rules so data can move between them.
 */
export interface ObjectStore {
  /**
   * Writes (or overwrites) an object. Atomic: a concurrent reader sees the old or the new object,
   * never a partial one, and a body stream that fails leaves the old object in place.
   */
  put(key: string, body: ObjectBody): Promise<void>;
  /** Streams an object; rejects with NOT_FOUND when it is missing. */
  get(key: string): Promise<Readable>;
  /** The whole object in memory; rejects with NOT_FOUND when it is missing. */
  getBytes(key: string): Promise<Buffer>;
  /**
   * `length` bytes from `offset` (e.g. a Parquet footer). A range running past the end returns
   * the bytes that exist (possibly none); NOT_FOUND when the object is missing.
   */
  getRange(key: string, offset: number, length: number): Promise<Buffer>;
  /** The object's metadata, or undefined when it is missing. */
  head(key: string): Promise<ObjectMeta | undefined>;
  /**
   * Every object whose key starts with `prefix` (a plain string prefix, as in S3: `a/b` also
   * matches `a/bc`; pass `a/b/` for one "directory"), recursively, sorted by the UTF-8 bytes
   * of the key.
   */
  list(prefix: string): AsyncIterable<ObjectMeta>;
  /** Deletes the objects; keys that do not exist are not an error. */
  deleteMany(keys: readonly string[]): Promise<void>;
  /** Releases connections; the store must not be used afterwards. */
  close(): Promise<void>;
}
