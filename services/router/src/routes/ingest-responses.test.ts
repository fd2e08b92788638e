import type { BulkItem, BulkResponse } from '@o2/domain';
import { describe, expect, it } from 'vitest';
import { bulkResponseText, renderBulkResponse } from './ingest-responses.js';

const stored = (action: BulkItem['action'], index: string, id: string): BulkItem => ({
  action,
  index,
  id,
  status: 200,
});

const failed: BulkItem = {
  action: 'index',
  index: 'logs',
  id: '',
  status: 422,
  error: {
    type: 'mapper_parsing_exception',
    reason: 'Too old data, only last 5 hours data can be ingested',
  },
  originalRecord: { msg: 'x "quoted" é', n: [1, null] },
};

const responses: Array<[string, BulkResponse]> = [
  ['no items', { took: 0, errors: false, items: [] }],
  [
    'shared ids',
    { took: 12, errors: false, items: [stored('index', 'k8s', ''), stored('index', 'k8s', '')] },
  ],
  [
    'ids, streams and actions that change, with characters JSON escapes',
    {
      took: 3,
      errors: true,
      items: [
        stored('index', 'a', '1'),
        stored('create', 'a', 'é"\\\u0001😀'),
        failed,
        stored('create', 'b\u2028', '2'),
        stored('update', 'b\u2028', ''),
        { ...failed, action: 'create', status: 200, error: { type: 't', reason: '' } },
        { ...stored('index', 'a', '3'), status: 201 },
      ],
    },
  ],
  [
    'a status JSON cannot hold',
    { took: NaN, errors: false, items: [{ ...stored('index', 'a', ''), status: NaN }] },
  ],
];

describe('bulkResponseText', () => {
  it.each(responses)('%s: the same text as JSON.stringify of renderBulkResponse', (_name, bulk) => {
    for (const errorsOnly of [false, true])
      expect(bulkResponseText(bulk, errorsOnly)).toBe(
        JSON.stringify(renderBulkResponse(bulk, errorsOnly)),
      );
  });
});
