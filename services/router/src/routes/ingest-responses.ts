import type { BulkItem, BulkResponse, IngestionResponse } from '@o2/domain';

/**
 * O2's IngestionResponse with its key order (`code`, then `status`); `status` is left out when
 * empty and a stream's `error` when it has none, as O2's serializer does.
 */
export function renderIngestionResponse(response: IngestionResponse): Record<string, unknown> {
  const body: Record<string, unknown> = { code: response.code };
  if (response.status.length > 0) {
    body['status'] = response.status.map((s) => ({
      name: s.name,
      successful: s.successful,
      failed: s.failed,
      ...(s.error === undefined || s.error === '' ? {} : { error: s.error }),
    }));
  }
  return body;
}

function renderBulkItem(item: BulkItem): Record<string, unknown> {
  if (item.error === undefined && item.status < 300) {
    return {
      [item.action]: {
        _index: item.index,
        _id: item.id,
        _version: 1,
        result: 'created',
        _shards: { total: 1, successful: 1, failed: 0 },
        _seq_no: 1,
        _primary_term: 1,
        status: item.status,
      },
    };
  }
  return {
    [item.action]: {
      _index: item.index,
      _id: item.id,
      status: item.status,
      error: {
        type: item.error?.type ?? 'mapper_parsing_exception',
        reason: item.error?.reason ?? '',
        index_uuid: '',
        shard: '1',
        index: item.index,
      },
      originalRecord: item.originalRecord ?? null,
    },
  };
}

/** Elasticsearch's bulk answer as O2 gives it; `errorsOnly` is ZO_BULK_RESPONSE_INCLUDE_ERRORS_ONLY. */
export function renderBulkResponse(
  bulk: BulkResponse,
  errorsOnly: boolean,
): Record<string, unknown> {
  const items = errorsOnly
    ? bulk.items.filter((item) => item.error !== undefined || item.status >= 300)
    : bulk.items;
  return { took: bulk.took, errors: bulk.errors, items: items.map(renderBulkItem) };
}
