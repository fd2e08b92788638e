import type { IngestService } from '@o2/domain';
import { AppError } from '@o2/errors';
import type { ServiceImpl } from '@o2/grpc';
import { decodeIngestRequest, encodeIngestResult } from '@o2/proto';
import type { IngestRequest, IngestService as IngestServiceDesc } from '@o2/proto';
import { RequestIdCache } from './request-id-cache.js';

type IngestAnswer = Awaited<ReturnType<ServiceImpl<typeof IngestServiceDesc>['ingest']>>;

/** Enough for minutes of ingest at thousands of requests a second; entries are small. */
const REMEMBERED_REQUESTS = 20_000;

/**
 * `IngestService.Ingest` over the ingester: a request id already answered gets the same answer
 * again, so the router's resend after UNAVAILABLE never stores records twice.
 */
export function ingestHandler(ingester: IngestService): ServiceImpl<typeof IngestServiceDesc> {
  const answers = new RequestIdCache<IngestAnswer>(REMEMBERED_REQUESTS);
  return {
    ingest: (request: IngestRequest) => {
      if (request.requestId === '')
        return Promise.reject(new AppError('INVALID_ARGUMENT', 'request_id is required'));
      return answers.answer(request.requestId, async () => {
        const call = decodeIngestRequest(request);
        return encodeIngestResult(await ingester.ingest(call.request));
      });
    },
  };
}
