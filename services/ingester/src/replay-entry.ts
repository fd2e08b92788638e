import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '@o2/errors';
import type { Logger } from '@o2/logger';
import { decodeRequest } from './ingest-pipeline.js';
import type { DecodedRequest, PipelineSettings } from './ingest-pipeline.js';
import type { WalEntryHeader } from './wal-entry.js';

export interface ReplayContext {
  settings: PipelineSettings;
  logger: Logger;
  /** Where entries that can no longer be stored are copied, byte for byte. */
  rejectedDir: string;
}

/**
 * Re-decodes one WAL entry for replay. An entry an older version accepted with an org id or
 * stream name the name rules now refuse (e.g. org `../default`) can never become a file key;
 * replaying it would wedge every persist cycle again, as it did before the rules existed. Such
 * an entry is skipped, but not silently: the raw entry is copied to `rejectedDir` and a warning
 * names the org, stream and the copy. Records of an entry that now fail one by one (a bulk
 * `_index` refused) are reported and copied the same way; the valid rest is replayed.
 */
export async function decodeForReplay(
  header: WalEntryHeader,
  body: Uint8Array,
  entry: Uint8Array,
  position: { segment: number; offset: number },
  context: ReplayContext,
): Promise<DecodedRequest | undefined> {
  const skip = new Set(header.skip);
  let decoded: DecodedRequest;
  try {
    const legacyBulkDelete = header.v === 1;
    decoded = decodeRequest(
      { ...header, body, legacyBulkDelete },
      header.now,
      context.settings,
      skip,
    );
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'INVALID_ARGUMENT') throw error;
    const copy = await keepCopy(entry, position, context.rejectedDir);
    context.logger.warn(
      {
        org: header.org,
        stream: header.stream,
        format: header.format,
        bytes: body.byteLength,
        copy,
        reason: error.message,
      },
      'WAL entry skipped on replay: its org or stream is not a valid name; the entry is kept in the copy',
    );
    return undefined;
  }
  const lost = decoded.outcomes.filter((o, i) => o.error !== undefined && !skip.has(i));
  if (lost.length > 0) {
    const copy = await keepCopy(entry, position, context.rejectedDir);
    context.logger.warn(
      { org: header.org, records: lost.length, reason: lost[0]?.error, copy },
      'WAL entry replayed in part: some acknowledged records are no longer valid; the entry is kept in the copy',
    );
  }
  return decoded;
}

async function keepCopy(
  entry: Uint8Array,
  position: { segment: number; offset: number },
  dir: string,
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${position.segment}-${position.offset}.walentry`);
  await writeFile(path, entry);
  return path;
}
