import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// Benches written as vitest files (`*.bench.ts` under a package's src/bench) run only through
// this config (`pnpm bench:metrics-query`); `pnpm test` includes `*.test.ts` alone.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['services/*/src/bench/**/*.bench.ts'],
    testTimeout: 1_800_000,
    hookTimeout: 1_800_000,
  },
});
