import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Tests import workspace packages through their `@o2/source` export condition, i.e. straight
// from src/, so `pnpm test` never depends on a stale dist/.
// Without vite's bundler-only `module` condition, which Node never applies: packages resolve as
// they do in production (the OpenTelemetry SDK's `module` builds use extensionless imports that
// Node's ESM loader refuses).
const conditions = ['@o2/source', ...defaultServerConditions.filter((c) => c !== 'module')];

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
