import type { Readable } from 'node:stream';
import type { Client } from 'minio';

/** S3's smallest allowed part (except the last). */
export const MIN_PART_SIZE = 5 * 1024 * 1024;
export const DEFAULT_PART_SIZE = 16 * 1024 * 1024;

function toBuffer(chunk: unknown): Buffer {
  if (typeof chunk === 'string') return Buffer.from(chunk);
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
  throw new TypeError('object body stream must yield bytes or strings');
}

/**
 * Uploads a stream of unknown length holding at most one part in memory: a body shorter than a
 * part goes up as one PUT, a longer one as a multipart upload that is aborted when the body
 * fails. The object appears only when the upload completes, so readers never see part of it.
 *
 * The client's own `putObject(stream)` is not used: it ignores errors of the body stream (the
 * upload then never settles), sizes parts for a 5 TiB object (hundreds of MB in memory) and
 * resumes any unfinished upload of the same key, which lets concurrent puts mix their parts.
 */
export async function s3StreamUpload(
  client: Client,
  bucket: string,
  name: string,
  body: Readable,
  partSize: number,
): Promise<void> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let uploadId: string | undefined;
  const parts: { part: number; etag: string }[] = [];

  const flushPart = async (): Promise<void> => {
    const payload = Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    uploadId ??= await client.initiateNewMultipartUpload(bucket, name, {});
    const part = parts.length + 1;
    const { etag } = await client.uploadPart(
      { bucketName: bucket, objectName: name, uploadID: uploadId, partNumber: part, headers: {} },
      payload,
    );
    parts.push({ part, etag });
  };

  try {
    for await (const chunk of body) {
      const bytes = toBuffer(chunk);
      pending.push(bytes);
      pendingBytes += bytes.length;
      if (pendingBytes >= partSize) await flushPart();
    }
    if (uploadId === undefined) {
      await client.putObject(bucket, name, Buffer.concat(pending, pendingBytes));
      return;
    }
    if (pendingBytes > 0) await flushPart();
    await client.completeMultipartUpload(bucket, name, uploadId, parts);
  } catch (error) {
    body.destroy();
    if (uploadId !== undefined) {
      // Best effort: a leftover upload costs storage until a bucket lifecycle rule removes it,
      // and the original failure is the one worth reporting.
      await client.abortMultipartUpload(bucket, name, uploadId).catch(() => undefined);
    }
    throw error;
  }
}
