import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Tests import workspace packages through their `@o2/source` export condition, i.e. straight
// from src/, so `pnpm test` never depends on a stale dist/.
const conditions = ['@o2/source', ...defaultServerConditions];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'services/*/src/**/*.test.ts', 'e2e/src/**/*.test.ts'],
    pool: 'forks',
    globalSetup: [],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
