import { describe, expect, it } from 'vitest';
import { checkTimestampWindow } from './check-timestamp-window.js';

const NOW = 1_767_225_600_000_000;
const HOUR = 3_600_000_000;
const TOO_OLD_5 =
  'Too old data, only last 5 hours data can be ingested. Data discarded. You can adjust ingestion max time by setting the environment variable ZO_INGEST_ALLOWED_UPTO=<max_hours>';
const TOO_FAR_24 =
  'Too far data, only future 24 hours data can be ingested. Data discarded. You can adjust ingestion max time by setting the environment variable ZO_INGEST_ALLOWED_IN_FUTURE=<max_hours>';

describe('checkTimestampWindow', () => {
  it('accepts now and both edges of the window', () => {
    expect(checkTimestampWindow(NOW, NOW)).toBeUndefined();
    expect(checkTimestampWindow(NOW - 5 * HOUR, NOW)).toBeUndefined();
    expect(checkTimestampWindow(NOW + 24 * HOUR, NOW)).toBeUndefined();
  });

  it('rejects one microsecond before the window as too old', () => {
    expect(checkTimestampWindow(NOW - 5 * HOUR - 1, NOW)).toBe(TOO_OLD_5);
  });

  it('rejects one microsecond after the window as too far', () => {
    expect(checkTimestampWindow(NOW + 24 * HOUR + 1, NOW)).toBe(TOO_FAR_24);
  });

  it('names the configured hours in the messages', () => {
    const options = { allowedUptoHours: 48, allowedInFutureHours: 1 };
    expect(checkTimestampWindow(NOW - 47 * HOUR, NOW, options)).toBeUndefined();
    expect(checkTimestampWindow(NOW - 49 * HOUR, NOW, options)).toBe(
      'Too old data, only last 48 hours data can be ingested. Data discarded. You can adjust ingestion max time by setting the environment variable ZO_INGEST_ALLOWED_UPTO=<max_hours>',
    );
    expect(checkTimestampWindow(NOW + 2 * HOUR, NOW, options)).toBe(
      'Too far data, only future 1 hours data can be ingested. Data discarded. You can adjust ingestion max time by setting the environment variable ZO_INGEST_ALLOWED_IN_FUTURE=<max_hours>',
    );
  });

  it('rejects a timestamp past 2^53 µs even with no window (metrics), so its file can be listed', () => {
    const open = { allowedUptoHours: Infinity, allowedInFutureHours: Infinity };
    expect(checkTimestampWindow(Number.MAX_SAFE_INTEGER, NOW, open)).toBeUndefined();
    expect(checkTimestampWindow(17_965_077_241_080_000, NOW, open)).toMatch(/^Invalid _timestamp/);
    expect(checkTimestampWindow(-17_965_077_241_080_000, NOW, open)).toMatch(/^Invalid _timestamp/);
    expect(checkTimestampWindow(1.5, NOW, open)).toMatch(/^Invalid _timestamp/);
  });
});
