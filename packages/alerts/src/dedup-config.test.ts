import { describe, expect, it } from 'vitest';
import { AppError } from '@o2/errors';
import {
  DEFAULT_DEDUP_CONFIG,
  dedupConfigSchema,
  dedupWindowMinutes,
  parseDedupBody,
  readDedupConfig,
  semanticGroupsSchema,
} from './dedup-config.js';

describe('org deduplication config', () => {
  it('fills O2 defaults and refuses bad bodies with the field named', () => {
    expect(DEFAULT_DEDUP_CONFIG).toEqual({
      enabled: false,
      alert_dedup_enabled: false,
      alert_fingerprint_groups: [],
      upgrade_window_minutes: 30,
    });
    expect(
      parseDedupBody(dedupConfigSchema, { enabled: true, time_window_minutes: 15 }),
    ).toMatchObject({ enabled: true, time_window_minutes: 15 });
    const bad = (body: unknown) => () => parseDedupBody(dedupConfigSchema, body);
    expect(bad({ enabled: 'yes' })).toThrow(/enabled: must be a boolean/);
    expect(bad({ time_window_minutes: 0 })).toThrow(/time_window_minutes/);
    expect(bad({ enabled: true, alert_dedup_enabled: true })).toThrow(/alert_fingerprint_groups/);
    expect(bad([])).toThrow(AppError);
  });

  it('checks semantic groups: ids unique and well formed, at least one field', () => {
    const host = { id: 'host', display: 'Host', fields: ['host', 'hostname'] };
    expect(parseDedupBody(semanticGroupsSchema, [host])).toEqual([{ ...host, normalize: false }]);
    const bad = (body: unknown) => () => parseDedupBody(semanticGroupsSchema, body);
    expect(bad([host, host])).toThrow(/unique/);
    expect(bad([{ ...host, id: 'Host Name' }])).toThrow(/0.id/);
    expect(bad([{ ...host, fields: [] }])).toThrow(/at least one field/);
    expect(bad({ groups: [host] })).toThrow(/array/);
  });

  it('gives alerts without their own window the org default, when enabled', () => {
    const alert = { trigger_condition: { period: 5 }, deduplication: {} };
    const org = { ...DEFAULT_DEDUP_CONFIG, enabled: true, time_window_minutes: 60 };
    expect(dedupWindowMinutes(alert, undefined)).toBe(5);
    expect(dedupWindowMinutes(alert, org)).toBe(60);
    expect(dedupWindowMinutes(alert, { ...org, enabled: false })).toBe(5);
    expect(dedupWindowMinutes({ ...alert, deduplication: { time_window_minutes: 7 } }, org)).toBe(
      7,
    );
    expect(readDedupConfig(JSON.stringify(org))).toEqual(org);
    expect(readDedupConfig('not json')).toBeUndefined();
    expect(readDedupConfig(undefined)).toBeUndefined();
  });
});
