import { z } from 'zod';
import { AppError, HTTP_STATUS } from '@o2/errors';
import type { BulkDeleteResponse } from '@o2/api-schemas';
import { bodyObject } from '../http/parse-body.js';

const MAX_IDS = 1000;

/** O2's `BulkDeleteRequest`: `{"ids": [...]}`. */
export const bulkDeleteBody = bodyObject({
  ids: z
    .array(z.string({ error: 'must be a list of strings' }), { error: 'must be a list' })
    .max(MAX_IDS, { error: `must hold at most ${String(MAX_IDS)} entries` }),
});

/**
 * Deletes each id in turn and answers O2's `BulkDeleteResponse`: a NOT_FOUND or refused id is
 * listed as unsuccessful (with the last reason); any other failure ends the request as it would
 * a single delete.
 */
export async function bulkDelete(
  ids: readonly string[],
  remove: (id: string) => Promise<void>,
): Promise<BulkDeleteResponse> {
  const result: BulkDeleteResponse = { successful: [], unsuccessful: [], err: null };
  for (const id of ids) {
    try {
      await remove(id);
      result.successful.push(id);
    } catch (error) {
      if (!(error instanceof AppError) || HTTP_STATUS[error.code] >= 500) throw error;
      result.unsuccessful.push(id);
      result.err = error.message;
    }
  }
  return result;
}
