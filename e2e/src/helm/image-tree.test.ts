import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '@o2/testing';
import type { TempDir } from '@o2/testing';
import {
  countRows,
  eventually,
  GENEROUS_MS,
  ingestRows,
  PODS,
  startChartCluster,
} from './test-support/chart-cluster.js';
import type { ChartCluster, Role } from './test-support/chart-cluster.js';
import { REPO_ROOT } from './test-support/helm.js';

// What each image runs, without a Docker engine: deploy/docker/Dockerfile copies the production
// tree `pnpm --filter @o2/<role> --prod deploy --legacy` makes to /app and runs
// `node /app/dist/main.js` from /. Build those five trees, check they hold no development
// dependencies, and run the chart's cluster from them: ingest through the router, query.

const STREAM = 'image_trees';
const ROWS = Array.from({ length: 20 }, (_, n) => ({ n }));
/** Development-only packages that must not reach an image. */
const DEV_ONLY = ['vitest', 'typescript', 'eslint', 'prettier', '@types'];

describe('image trees: each role from its pnpm deploy production tree, on the chart env', () => {
  let trees: TempDir;
  let cluster: ChartCluster | undefined;
  const tree = (role: Role) => join(trees.path, role, 'app');

  beforeAll(async () => {
    trees = await makeTempDir('image-trees');
    for (const [role] of PODS) {
      // --prefer-offline: the store and metadata cache first, the registry only for what is missing.
      execFileSync(
        'pnpm',
        ['--filter', `@o2/${role}`, '--prod', 'deploy', '--legacy', '--prefer-offline', tree(role)],
        { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], timeout: GENEROUS_MS },
      );
    }
    cluster = await startChartCluster({ script: (role) => join(tree(role), 'dist/main.js') });
  }, 8 * GENEROUS_MS);

  afterAll(async () => {
    await cluster?.stop();
    await trees.remove();
  });

  it('builds one production tree per role: its package, its dist, no development dependencies', () => {
    for (const [role] of PODS) {
      const manifest = JSON.parse(readFileSync(join(tree(role), 'package.json'), 'utf8')) as {
        name: string;
      };
      expect(manifest.name).toBe(`@o2/${role}`);
      expect(existsSync(join(tree(role), 'dist/main.js')), role).toBe(true);
      const top = readdirSync(join(tree(role), 'node_modules'));
      expect(
        top.filter((name) => DEV_ONLY.includes(name)),
        role,
      ).toEqual([]);
    }
  });

  it(
    'runs the five roles from their trees: ingest through the router, then query',
    async () => {
      if (cluster === undefined) throw new Error('no cluster');
      for (const [role, process] of cluster.processes) {
        expect(process.child.spawnargs.at(-1), role).toBe(join(tree(role), 'dist/main.js'));
      }
      expect(await ingestRows(cluster, STREAM, ROWS), cluster.output()).toContain(
        '"successful":20',
      );
      const counted = await eventually(
        () => countRows(cluster as ChartCluster, STREAM),
        (n) => n === ROWS.length,
      );
      expect(counted, cluster.output()).toBe(ROWS.length);
    },
    2 * GENEROUS_MS,
  );
});
