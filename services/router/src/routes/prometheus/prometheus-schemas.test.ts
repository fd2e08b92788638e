import { describe, expect, it } from 'vitest';
import type { ZodType } from 'zod';
import {
  promEnvelope,
  promMetadataSchema,
  promNamesSchema,
  promQueryResultSchema,
} from '@o2/api-schemas';
import { EVAL, MINUTE, usePrometheusApiNode } from '../../test-support/prometheus-api-node.js';

/**
 * The web UI's metrics page and PromQL panels take their types from @o2/api-schemas; these are
 * the router's real Prometheus answers parsed with those schemas.
 */
describe('Prometheus answers match @o2/api-schemas', () => {
  const node = usePrometheusApiNode();
  const expectShape = async (path: string, params: Record<string, string>, data: ZodType) => {
    const res = await node.prom(path, params);
    expect(res.status, res.text).toBe(200);
    const parsed = promEnvelope(data).safeParse(res.body);
    expect(parsed.error?.issues ?? [], path).toEqual([]);
    return parsed.data;
  };
  const range = { start: String((EVAL - 10 * MINUTE) / 1000), end: String(EVAL / 1000) };

  it('query_range (matrix), query (vector and scalar)', async () => {
    const matrix = await expectShape(
      'query_range',
      { query: 'sum by (job) (http_requests_total)', ...range, step: '60' },
      promQueryResultSchema,
    );
    expect(matrix?.data).toMatchObject({ resultType: 'matrix' });
    const vector = await expectShape(
      'query',
      { query: 'http_requests_total', time: range.end },
      promQueryResultSchema,
    );
    expect(vector?.data).toMatchObject({ resultType: 'vector' });
    await expectShape('query', { query: '1 + 1', time: range.end }, promQueryResultSchema);
  });

  it('labels, label values (with match[]) and metadata', async () => {
    const labels = await expectShape(
      'labels',
      { 'match[]': 'http_requests_total', ...range },
      promNamesSchema,
    );
    expect(labels?.data).toContain('job');
    await expectShape(
      'label/job/values',
      { 'match[]': 'http_requests_total', ...range },
      promNamesSchema,
    );
    await expectShape('metadata', {}, promMetadataSchema);
  });
});
