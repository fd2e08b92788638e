import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, startRequestRecorder } from '@o2/testing';
import type { RecordedRequest, RequestRecorder, TempDir } from '@o2/testing';
import { rootUserEnv, startHealthyProduct } from '../product-process.js';
import type { ProductProcess } from '../product-process.js';
import {
  FAST_ALERTS,
  alertHistory,
  api,
  createAlert,
  createHookDestination,
  ingestLogs,
} from './alert-steps.js';
import type { HookBody } from './alert-steps.js';

const bodyOf = (r: RecordedRequest) => JSON.parse(r.body.toString('utf8')) as HookBody;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('alerts on a single node (services/standalone as a process)', () => {
  let dataDir: TempDir;
  let node: ProductProcess;
  let hook: RequestRecorder;
  const hooksOf = (name: string) => hook.requests.filter((r) => bodyOf(r).alert === name);

  beforeAll(async () => {
    dataDir = await makeTempDir('alerts-standalone');
    hook = await startRequestRecorder();
    node = await startHealthyProduct('standalone', {
      ZO_DATA_DIR: `${dataDir.path}/`,
      RUST_LOG: 'warn',
      ...rootUserEnv(),
      ...FAST_ALERTS,
    });
    await createHookDestination(node.url, hook.url);
  });
  afterAll(async () => {
    await node?.stop();
    await hook?.stop();
    await dataDir?.remove();
  });

  it('fires a SQL count alert within one period of the data, once, with the template rendered', async () => {
    await ingestLogs(node.url, 'payments', [{ level: 'info', msg: 'warm up' }]);
    const id = await createAlert(node.url, {
      name: 'payment_errors',
      stream_name: 'payments',
      query_condition: {
        type: 'sql',
        sql: `SELECT COUNT(*) AS errors FROM "payments" WHERE level = 'error' HAVING COUNT(*) > 3`,
      },
    });
    await sleep(2_500);
    expect(hooksOf('payment_errors')).toHaveLength(0);
    const acked = Date.now();
    await ingestLogs(
      node.url,
      'payments',
      Array.from({ length: 5 }, (_, i) => ({ level: 'error', msg: `declined ${i}` })),
    );
    const [first] = await hook.waitFor((r) => bodyOf(r).alert === 'payment_errors', 1, 6_000);
    // One period (2 s) for the window to close plus one scheduler tick (1 s), with slack.
    expect(Date.now() - acked).toBeLessThan(4_500);
    const body = bodyOf(first!);
    expect(body.count).toBe('1');
    expect(JSON.parse(body.rows)).toEqual({ errors: 5 });
    expect(first!.headers['content-type']).toBe('application/json');
    // The rows sit in one period: later periods find nothing and stay quiet.
    await sleep(4_500);
    expect(hooksOf('payment_errors')).toHaveLength(1);
    const history = await alertHistory(node.url, id);
    expect(history.filter((h) => h.status === 'firing')).toHaveLength(1);
    expect(history.filter((h) => h.status === 'ok').length).toBeGreaterThanOrEqual(2);
    // One evaluation per period: no period was evaluated twice.
    const starts = history.map((h) => h.start_time);
    expect(new Set(starts).size).toBe(starts.length);
    const got = await api(node.url, `/api/v2/default/alerts/${id}`);
    expect((got.body as { last_triggered_at: number | null }).last_triggered_at).toBeGreaterThan(
      acked * 1000,
    );
  });

  it('fires once per period while data keeps coming; silence and dedup hold it back', async () => {
    const conditions = {
      version: 2,
      conditions: {
        filterType: 'group',
        logicalOperator: 'AND',
        conditions: [{ filterType: 'condition', column: 'level', operator: '=', value: 'error' }],
      },
    };
    const every = await createAlert(node.url, {
      name: 'burst_every',
      stream_name: 'burst',
      query_condition: { type: 'custom', conditions },
    });
    const silenced = await createAlert(node.url, {
      name: 'burst_silenced',
      stream_name: 'burst',
      query_condition: { type: 'custom', conditions },
      trigger_condition: { silence: 10 },
    });
    const deduped = await createAlert(node.url, {
      name: 'burst_dedup',
      stream_name: 'burst',
      query_condition: { type: 'custom', conditions },
      deduplication: { enabled: true, fingerprint_fields: ['host'], time_window_minutes: 10 },
    });
    // Dedups without a window of its own: the org default (10 alert minutes) applies.
    const orgConfig = { enabled: true, time_window_minutes: 10 };
    expect(
      (await api(node.url, '/api/default/alerts/deduplication/config', { json: orgConfig })).status,
    ).toBe(200);
    const orgWindow = await createAlert(node.url, {
      name: 'burst_org_window',
      stream_name: 'burst',
      query_condition: { type: 'custom', conditions },
      deduplication: { enabled: true, fingerprint_fields: ['host'] },
    });
    const until = Date.now() + 8_000;
    while (Date.now() < until) {
      await ingestLogs(node.url, 'burst', [{ level: 'error', host: 'h1', msg: 'oops' }]);
      await sleep(400);
    }
    await sleep(3_000);
    const everyHooks = hooksOf('burst_every').map((r) => bodyOf(r).start);
    expect(everyHooks.length).toBeGreaterThanOrEqual(3);
    expect(new Set(everyHooks).size).toBe(everyHooks.length);
    expect(hooksOf('burst_silenced')).toHaveLength(1);
    expect((await alertHistory(node.url, silenced)).map((h) => h.status)).toContain('silenced');
    expect(hooksOf('burst_dedup')).toHaveLength(1);
    expect(hooksOf('burst_org_window')).toHaveLength(1);
    // The summary counts both dedup alerts' sends and suppressions.
    const summary = (await api(node.url, '/api/v2/default/alerts/dedup/summary')).body as {
      suppressions_total: number;
      passed_total: number;
    };
    expect(summary.passed_total).toBe(2);
    expect(summary.suppressions_total).toBeGreaterThanOrEqual(4);
    expect((await alertHistory(node.url, orgWindow)).map((h) => h.status)).toContain(
      'deduplicated',
    );
    expect((await alertHistory(node.url, deduped)).map((h) => h.status)).toContain('deduplicated');
    expect((await alertHistory(node.url, every)).filter((h) => h.status === 'firing').length).toBe(
      everyHooks.length,
    );
  });

  it('compares with a past window (multi_time_range): the SQL runs for both windows', async () => {
    // Fires only when the current window AND the window 15 alert-minutes (30 s) back both hold
    // rows: each window's query returns one row, and the threshold counts them together.
    const sql = `SELECT COUNT(*) AS n FROM "cmp" HAVING COUNT(*) > 0`;
    const compare = {
      query_condition: { type: 'sql', sql, multi_time_range: [{ offSet: '15m' }] },
      trigger_condition: { threshold: 2 },
    };
    await createAlert(node.url, { name: 'cmp_windows', stream_name: 'cmp', ...compare });
    await createAlert(node.url, {
      name: 'cmp_single',
      stream_name: 'cmp',
      ...compare,
      query_condition: { type: 'sql', sql },
    });
    const now = Date.now();
    const past = Array.from({ length: 21 }, (_, i) => ({
      _timestamp: (now - 31_000 + i * 500) * 1000,
      msg: `earlier ${i}`,
    }));
    await ingestLogs(node.url, 'cmp', past);
    const until = Date.now() + 5_000;
    while (Date.now() < until) {
      await ingestLogs(node.url, 'cmp', [{ msg: 'now' }]);
      await sleep(500);
    }
    const [fired] = await hook.waitFor((r) => bodyOf(r).alert === 'cmp_windows', 1, 6_000);
    expect(bodyOf(fired!).count).toBe('2');
    // One window alone never reaches the threshold of two rows.
    expect(hooksOf('cmp_single')).toHaveLength(0);
  });

  it('fires a PromQL alert on the samples that pass promql_condition', async () => {
    const res = await api(node.url, '/api/default/ingest/metrics/_json', {
      json: [
        { __name__: 'queue_depth', __type__: 'gauge', queue: 'jobs', value: 42 },
        { __name__: 'queue_depth', __type__: 'gauge', queue: 'mail', value: 1 },
      ],
    });
    expect(res.status).toBe(200);
    await createAlert(node.url, {
      name: 'deep_queue',
      stream_type: 'metrics',
      stream_name: 'queue_depth',
      query_condition: {
        type: 'promql',
        promql: 'queue_depth',
        promql_condition: { column: 'value', operator: '>', value: 10 },
      },
      trigger_condition: { silence: 10 },
    });
    const [fired] = await hook.waitFor((r) => bodyOf(r).alert === 'deep_queue', 1, 8_000);
    const body = bodyOf(fired!);
    expect(body.count).toBe('1');
    expect(JSON.parse(body.rows)).toMatchObject({
      __name__: 'queue_depth',
      queue: 'jobs',
      value: 42,
    });
  });

  it('fires a real-time alert on ingest, on the matching records only', async () => {
    const id = await createAlert(node.url, {
      name: 'failed_login',
      stream_name: 'logins',
      is_real_time: true,
      query_condition: {
        type: 'custom',
        conditions: [{ column: 'status', operator: '=', value: 'failed' }],
      },
    });
    await ingestLogs(node.url, 'logins', [{ status: 'ok', user: 'ann' }]);
    await sleep(1_500);
    expect(hooksOf('failed_login')).toHaveLength(0);
    const acked = Date.now();
    await ingestLogs(node.url, 'logins', [
      { status: 'failed', user: 'eve' },
      { status: 'ok', user: 'bob' },
    ]);
    const [fired] = await hook.waitFor((r) => bodyOf(r).alert === 'failed_login', 1, 5_000);
    expect(Date.now() - acked).toBeLessThan(2_000);
    const body = bodyOf(fired!);
    expect(body.count).toBe('1');
    expect(JSON.parse(body.rows)).toMatchObject({ status: 'failed', user: 'eve' });
    const history = await alertHistory(node.url, id);
    expect(history.map((h) => h.status)).toEqual(['firing']);
  });
});
