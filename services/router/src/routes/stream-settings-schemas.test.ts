import { describe, expect, it } from 'vitest';
import { AppError } from '@o2/errors';
import { applySettingsUpdate } from './stream-settings.js';

const NOW_US = 1_764_300_000_000_000;

function refusal(update: Record<string, unknown>): [string, string] {
  try {
    applySettingsUpdate({}, update, NOW_US);
  } catch (error) {
    if (error instanceof AppError) return [error.code, error.message];
    throw error;
  }
  throw new Error('expected the update to be refused');
}

describe('stream settings update body', () => {
  it('names the setting and what it must be, as 422', () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [
        { index_fields: ['x'] },
        'index_fields must be {"add": [...], "remove": [...]} (got a plain value)',
      ],
      [{ index_fields: { add: 'x' } }, 'index_fields.add must be a list'],
      [{ bloom_filter_fields: { remove: 1 } }, 'bloom_filter_fields.remove must be a list'],
      [{ index_fields: { add: [''] } }, 'index_fields: entries must be non-empty strings'],
      [
        { partition_keys: { add: [{ field: 'x', types: { hash: 0 } }] } },
        'partition_keys: types must be "value", "prefix" or {"hash": <buckets>}',
      ],
      [
        { partition_keys: { add: [3] } },
        'partition_keys: each entry must be a field name or {"field": ...}',
      ],
      [
        { extended_retention_days: { add: [{ start: 1 }] } },
        'extended_retention_days: entries must be {"start": <µs>, "end": <µs>}',
      ],
      [
        { cross_links: { add: [{ url: 'x' }] } },
        'cross_links: entries must be objects with a name',
      ],
      [
        { data_retention: 1.5 },
        'data_retention must be a whole number of days (0 = the global retention)',
      ],
      [{ max_query_range: -1 }, 'max_query_range must be a whole number of hours'],
      [{ is_llm_stream: 'yes' }, 'is_llm_stream must be true or false'],
      [{ storage_type: 'cold' }, 'storage_type must be "normal" or "compliance"'],
    ];
    for (const [update, message] of cases)
      expect(refusal(update)).toEqual(['UNPROCESSABLE', message]);
  });

  it('stamps distinct-value fields given by name or object and skips null changes', () => {
    const next = applySettingsUpdate(
      {},
      {
        distinct_value_fields: { add: ['a', { name: 'b' }, 'a'] },
        index_fields: null,
        data_retention: null,
      },
      NOW_US,
    );
    expect(next['distinct_value_fields']).toEqual([
      { name: 'a', added_ts: NOW_US },
      { name: 'b', added_ts: NOW_US },
    ]);
    expect(next['index_fields']).toEqual([]);
    expect(next['data_retention']).toBe(0);
  });
});
