import { describe, expect, it } from 'vitest';
import type { AppError } from '@o2/errors';
import { applySettingsUpdate, showSettings } from './stream-settings.js';

const NOW_US = 1_764_300_000_000_000;

describe('stream settings', () => {
  it('shows every default and turns a stored partition list into the L<i> map', () => {
    const shown = showSettings({ partition_keys: ['ns', { field: 'host', types: 'prefix' }] });
    expect(shown).toMatchObject({
      partition_keys: {
        L0: { field: 'ns', types: 'value', disabled: false },
        L1: { field: 'host', types: 'prefix', disabled: false },
      },
      index_fields: [],
      enable_distinct_fields: true,
      storage_type: 'normal',
    });
  });

  it('dedupes object-valued lists by their identity and removes by it', () => {
    const range = { start: 1, end: 2 };
    const link = { name: 'trace', url: 'https://x/${trace_id}' };
    const once = applySettingsUpdate(
      {},
      {
        extended_retention_days: { add: [range, { ...range }] },
        cross_links: { add: [link, { ...link, url: 'other' }] },
        defined_schema_fields: { add: ['a', 'b', 'a'] },
      },
      NOW_US,
    );
    expect(once['extended_retention_days']).toEqual([range]);
    expect(once['cross_links']).toEqual([link]);
    expect(once['defined_schema_fields']).toEqual(['a', 'b']);
    expect(once['index_updated_at']).toBe(0);

    const twice = applySettingsUpdate(
      once,
      {
        extended_retention_days: { remove: [range] },
        cross_links: { remove: ['trace'] },
        defined_schema_fields: { remove: ['a'], add: ['c'] },
        index_fields: { add: ['level'] },
      },
      NOW_US,
    );
    expect(twice['extended_retention_days']).toEqual([]);
    expect(twice['cross_links']).toEqual([]);
    expect(twice['defined_schema_fields']).toEqual(['b', 'c']);
    expect(twice['index_updated_at']).toBe(NOW_US);
  });

  it('refuses wrong shapes as UNPROCESSABLE and ignores unknown keys', () => {
    const attempt = (update: Record<string, unknown>) => {
      try {
        applySettingsUpdate({}, update, NOW_US);
        return 'ok';
      } catch (error) {
        return (error as AppError).code;
      }
    };
    expect(attempt({ index_fields: ['x'] })).toBe('UNPROCESSABLE');
    expect(attempt({ index_fields: { add: [1] } })).toBe('UNPROCESSABLE');
    expect(attempt({ partition_keys: { add: [{ field: 'x', types: { hash: 0 } }] } })).toBe(
      'UNPROCESSABLE',
    );
    expect(attempt({ storage_type: 'cold' })).toBe('UNPROCESSABLE');
    expect(attempt({ max_query_range: -1 })).toBe('UNPROCESSABLE');
    expect(attempt({ something_new: { add: [1] } })).toBe('ok');
  });
});
