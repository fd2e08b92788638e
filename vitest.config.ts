import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Tests import workspace packages through their `@o2/source` export condition, i.e. straight
// from src/, so `pnpm test` never depends on a stale dist/.
// Without vite's bundler-only `module` condition, which Node never applies: packages resolve as
// they do in production (the OpenTelemetry SDK's `module` builds use extensionless imports that
// Node's ESM loader refuses).
const conditions = ['@o2/source', ...defaultServerConditions.filter((c) => c !== 'module')];

const TESTS = [
  'packages/*/src/**/*.test.ts',
  'services/*/src/**/*.test.ts',
  'e2e/src/**/*.test.ts',
];
// `pnpm deploy` runs the root `prepare` (tsc -b, then the web UI's vite build, which empties
// packages/web/dist): beside another file, a browser test then got 404 for the UI's assets.
// This file runs alone, after every other.
const DEPLOYS = ['e2e/src/helm/image-tree.test.ts'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    projects: [
      { extends: true, test: { name: 'tests', include: TESTS, exclude: DEPLOYS } },
      { extends: true, test: { name: 'deploys', include: DEPLOYS, sequence: { groupOrder: 1 } } },
    ],
    pool: 'forks',
    // Two files at a time, each worker process kept for the next file (no fresh module graph per
    // file): on 2 cores most of a file's wall time was importing DuckDB, Arrow, the OTel SDK and
    // our packages again, not running its tests. packages/ + services/ took 13.5 min one file at a
    // time and 11.4 min two at a time (both isolated, other work on the box), 3.5 min this way.
    // No test mocks modules, stubs globals, fakes timers or writes process.env, so sharing a
    // process is safe: each file starts its own servers, stores and directories.
    maxWorkers: 2,
    isolate: false,
    globalSetup: [],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
