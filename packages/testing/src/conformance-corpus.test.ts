import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONFORMANCE_DIR_ENV, locateCorpus } from './conformance-corpus.js';

describe('locateCorpus', () => {
  it('defaults to ../shared/conformance/<suite> beside the repository', () => {
    const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
    expect(locateCorpus('promql', {}).dir).toBe(resolve(repoRoot, '../shared/conformance/promql'));
  });

  it('takes the folder from the environment and finds the suite inside it', async () => {
    const root = await mkdtemp(join(tmpdir(), 'o2ts-corpus-'));
    try {
      await mkdir(join(root, 'promql'));
      const env = { [CONFORMANCE_DIR_ENV]: root };
      expect(locateCorpus('promql', env)).toMatchObject({ dir: join(root, 'promql'), found: true });
      const vrl = locateCorpus('vrl', env);
      expect(vrl.found).toBe(false);
      expect(vrl.notFoundLine).toBe(
        `[conformance] vrl: corpus not found at ${join(root, 'vrl')}; skipped ` +
          `(set O2_CONFORMANCE_DIR=/path/to/conformance, the folder holding vrl/, to run it)`,
      );
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
