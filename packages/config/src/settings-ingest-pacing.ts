import { int } from './setting-types.js';

/** How the ingest path shares the event loop (apart so `settings-schema.ts` stays short). */
export const INGEST_PACING_SETTINGS = {
  title: 'Ingest pacing',
  shape: {
    ZO_INGEST_SLICE_MS: int(
      4,
      'Milliseconds of parsing a request body runs before letting other work (searches, other requests) take a turn; 0 parses each body in one go.',
      { min: 0 },
    ),
  },
} as const;
