import { int } from './setting-types.js';

/** How the ingest path shares the event loop (apart so `settings-schema.ts` stays short). */
export const INGEST_PACING_SETTINGS = {
  title: 'Ingest pacing',
  shape: {
    ZO_INGEST_SLICE_MS: int(
      4,
      'Milliseconds of parsing a request body, or of adding its rows to the memtable, before other work (searches, other requests) gets a turn; 0 does each in one go.',
      { min: 0 },
    ),
  },
} as const;
