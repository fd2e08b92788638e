import { describe, expect, it } from 'vitest';
import {
  EVENT_SCHEMAS,
  FILE_ADDED_TOPIC,
  SCHEMA_CHANGED_TOPIC,
  STREAM_DELETION_REQUESTED_TOPIC,
} from './events.js';

describe('event payload schemas', () => {
  it('accept what the ingester publishes', () => {
    const entry = {
      key: 'files/default/logs/app/2026/11/28/07/f1.parquet',
      org: 'default',
      type: 'logs',
      stream: 'app',
      date: '2026/11/28/07',
      file: 'f1.parquet',
      minTs: 1,
      maxTs: 2,
      records: 3,
      originalSize: 10,
      compressedSize: 5,
      indexSize: 0,
      flattened: false,
    };
    expect(EVENT_SCHEMAS[FILE_ADDED_TOPIC].parse(entry)).toEqual(entry);
    const changed = { stream: 'default/logs/app', version: 4 };
    expect(EVENT_SCHEMAS[SCHEMA_CHANGED_TOPIC].parse(changed)).toEqual(changed);
    const deletion = { org: 'default', type: 'enrichment_tables', stream: 'ips' };
    expect(EVENT_SCHEMAS[STREAM_DELETION_REQUESTED_TOPIC].parse(deletion)).toEqual(deletion);
  });

  it('refuse payloads a subscriber could not use', () => {
    const fileAdded = EVENT_SCHEMAS[FILE_ADDED_TOPIC];
    expect(fileAdded.safeParse({ file: 'no key' }).success).toBe(false);
    expect(fileAdded.safeParse({ key: 'other/x.parquet' }).success).toBe(false);
    expect(fileAdded.safeParse({ key: 'files/o/bogus/s/x.parquet', type: 'bogus' }).success).toBe(
      false,
    );
    expect(fileAdded.safeParse(null).success).toBe(false);
    // The file_list fields are optional, but checked against FileEntry when present.
    const key = 'files/default/logs/app/2026/11/28/07/f1.parquet';
    expect(fileAdded.safeParse({ key, records: 'many' }).success).toBe(false);
    expect(fileAdded.safeParse({ key, records: 3 }).success).toBe(true);
    const schemaChanged = EVENT_SCHEMAS[SCHEMA_CHANGED_TOPIC];
    expect(schemaChanged.safeParse({ version: 2 }).success).toBe(false);
    expect(schemaChanged.safeParse({ stream: 'a/logs/b', version: 'two' }).success).toBe(false);
    const deletion = EVENT_SCHEMAS[STREAM_DELETION_REQUESTED_TOPIC];
    expect(deletion.safeParse({ org: 'o', type: 'bogus', stream: 's' }).success).toBe(false);
    expect(deletion.safeParse({ org: 'o', type: 'logs' }).success).toBe(false);
  });
});
