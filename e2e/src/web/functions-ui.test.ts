import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshots } from './ui-node.js';
import { apiGet, ingest, login, startUiNode } from './ui-node.js';
import type { UiNode } from './ui-node.js';
import { pick, readEditor, searchHits, setEditor } from './pipeline-ui-steps.js';

vi.setConfig({ testTimeout: 120_000 });

/** The id of the (only) canvas node of an io type (`input`, `default`, `output`). */
const nodeId = async (page: Page, io: string) =>
  (await page
    .locator(`[data-test^="pipeline-node-${io}-"][data-node-id]`)
    .getAttribute('data-node-id')) ?? '';

// The Pipelines menu (functions, enrichment tables, pipelines) driven in Chromium against a
// single node: what the UI makes is what the API then holds, and a pipeline saved in the editor
// transforms records ingested afterwards.
describe('functions, enrichment tables and pipelines UI in Chromium (process)', () => {
  let node: UiNode;
  let page: Page;

  beforeAll(async () => {
    node = await startUiNode('functions-ui');
    page = node.page;
    await login(page);
    // The source stream exists before the pipeline editor lists streams.
    await ingest(node.product, 'default', 'app_src', [{ level: 'info', log: 'warm-up' }]);
  }, 150_000);
  afterAll(async () => node?.close());

  it('uploads a CSV as an enrichment table and shows it with its schema', async () => {
    await page.getByTestId('menu-link-/pipeline-item').click();
    await page.getByTestId('pipeline-section-tab-enrichmentTables').click();
    await page.getByTestId('enrichment-tables-add-btn').click();
    await page.getByTestId('add-enrichment-table-name-field').fill('geo_ips');
    await page.getByTestId('add-enrichment-table-file-field').setInputFiles({
      name: 'geo.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('ip,country\n10.0.0.1,NL\n10.0.0.2,DE\n10.0.0.3,FR\n'),
    });
    await page.getByTestId('add-enrichment-table-save-btn').click();
    await page.locator('[data-test="o-toast-message"][data-test-variant="success"]').waitFor();
    const table = page.getByTestId('enrichment-tables-list-table');
    await table.getByText('geo_ips').waitFor();
    await page.getByTestId('geo_ips-schema-btn').click();
    const drawer = page.getByTestId('enrichment-schema-drawer');
    await drawer.getByText('country').waitFor();
    const fields = await drawer.locator('[data-test="o2-table-cell-name"]').allTextContents();
    expect(fields).toEqual(expect.arrayContaining(['ip', 'country']));
    await drawer.getByTestId('o-drawer-close-btn').click();
    await screenshots(page, 'enrichment-tables');

    const listed = (await apiGet(node.product, '/api/default/streams?type=enrichment_tables')) as {
      list: Array<{ name: string; stats: { doc_num: number } }>;
    };
    expect(listed.list.map((s) => [s.name, s.stats.doc_num])).toEqual([['geo_ips', 3]]);
    expect(node.problems.list).toEqual([]);
  });

  it('writes a VRL function, tests it on events, sees the output and saves it', async () => {
    await page.getByTestId('pipeline-section-tab-functions').click();
    await page.getByTestId('function-list-add-function-btn').click();
    await page.getByTestId('add-function-name-input-field').fill('tag_env');
    await setEditor(page, 'logs-vrl-function-editor', '.env = "prod"\n.level = upcase!(.level)\n.');
    await setEditor(
      page,
      'vrl-function-test-events-editor',
      JSON.stringify([
        { level: 'info', log: 'a' },
        { level: 'warn', log: 'b' },
      ]),
    );
    await page.getByTestId('test-function-run-btn').click();
    await expect
      .poll(() => readEditor(page, 'vrl-function-test-events-output-editor'))
      .not.toBe('');
    const output = JSON.parse(
      await readEditor(page, 'vrl-function-test-events-output-editor'),
    ) as unknown[];
    expect(output).toEqual([
      { level: 'INFO', log: 'a', env: 'prod' },
      { level: 'WARN', log: 'b', env: 'prod' },
    ]);

    // A runtime error reaches the error panel instead of the output.
    await setEditor(page, 'logs-vrl-function-editor', '.x = parse_json!(.log)\n.');
    await page.getByTestId('test-function-run-btn').click();
    await page.getByTestId('function-error-panel').waitFor();
    await setEditor(page, 'logs-vrl-function-editor', '.env = "prod"\n.level = upcase!(.level)\n.');
    await screenshots(page, 'function-editor');

    await page.getByTestId('add-function-save-btn').click();
    await page.locator('[data-test-message="Function saved successfully"]').waitFor();
    await page.getByTestId('function-list-table').getByText('tag_env').waitFor();
    const saved = (await apiGet(node.product, '/api/default/functions')) as {
      list: Array<{ name: string; function: string }>;
    };
    expect(saved.list.map((f) => f.name)).toEqual(['tag_env']);
    expect(saved.list[0]?.function).toContain('upcase!');
    expect(node.problems.list).toEqual([]);
  });

  it('builds source → function → destination, saves it, and the ingested record arrives transformed', async () => {
    await page.getByTestId('pipeline-section-tab-streamPipelines').click();
    await page.getByTestId('pipeline-list-add-pipeline-btn').click();
    await page.getByTestId('pipeline-editor-name-input-field').fill('ui_pipe');

    // Saving an empty graph names what is missing, in O2's words.
    await page.getByTestId('add-pipeline-save-btn').click();
    await page.locator('[data-test-message="Source node is required"]').waitFor();

    await page.getByTestId('pipeline-node-sidebar-stream-input-btn').click();
    await pick(page, 'input-node-stream-name-select', 'app_src', 'input-node-stream-drawer');
    await page.getByTestId('input-node-stream-drawer').getByTestId('o-drawer-primary-btn').click();

    await page.getByTestId('pipeline-node-sidebar-function-default-btn').click();
    await pick(
      page,
      'associate-function-select-function-input',
      'tag_env',
      'associate-function-drawer',
    );
    await page.getByTestId('associate-function-drawer').getByTestId('o-drawer-primary-btn').click();

    // Each new node follows the last one (its "previous node"); the function → destination edge
    // is then removed on the canvas and drawn again from the function's output handle.
    await page.getByTestId('pipeline-node-sidebar-stream-output-btn').click();
    const drawer = page.getByTestId('input-node-stream-drawer');
    await drawer.getByTestId('create-stream-toggle').click();
    await drawer.getByTestId('output-node-stream-name-input-field').fill('app_out');
    await drawer.getByTestId('o-drawer-primary-btn').click();
    const edges = page.locator('[data-test="pipeline-edge"]');
    await expect.poll(() => edges.count()).toBe(2);
    await page
      .locator(`[data-test="pipeline-edge"][data-target="${await nodeId(page, 'output')}"]`)
      .getByTestId('pipeline-edge-delete-btn')
      .click();
    await expect.poll(() => edges.count()).toBe(1);
    await page
      .getByTestId('pipeline-validation-messages')
      .getByText('Please connect all nodes before saving')
      .waitFor();
    await page.getByTestId('pipeline-node-default-output-handle').click();
    await page.getByTestId('pipeline-node-output-input-handle').click();
    await expect.poll(() => edges.count()).toBe(2);
    await expect
      .poll(() => page.getByTestId('pipeline-validation-messages').textContent())
      .toBe('');
    await screenshots(page, 'pipeline-editor');

    await page.getByTestId('add-pipeline-save-btn').click();
    await page.getByTestId('pipeline-list-table').getByText('ui_pipe').waitFor();
    await page.locator('[data-test-message="Pipeline saved successfully"]').waitFor();
    await expect
      .poll(() =>
        page.getByTestId('pipeline-list-ui_pipe-pause-start-alert').getAttribute('data-state'),
      )
      .toBe('checked');

    await ingest(node.product, 'default', 'app_src', [{ level: 'error', log: 'via-ui-pipeline' }]);
    await expect
      .poll(
        async () =>
          searchHits(node.product, `SELECT * FROM "app_out" WHERE log = 'via-ui-pipeline'`),
        {
          timeout: 30_000,
        },
      )
      .toMatchObject([{ level: 'ERROR', env: 'prod', log: 'via-ui-pipeline' }]);
    expect(node.problems.list).toEqual([]);
  });
  it('imports a pipeline from JSON, pauses it, and guards unsaved edits', async () => {
    const { list } = (await apiGet(node.product, '/api/default/pipelines')) as {
      list: Array<Record<string, unknown> & { name: string; enabled: boolean }>;
    };
    const exported = JSON.stringify(list[0]).replaceAll('"app_src"', '"app_src2"');
    await page.getByTestId('pipeline-list-import-pipeline-btn').click();
    await page.getByTestId('pipeline-import-json-textarea').fill(exported);
    await page.getByTestId('pipeline-import-name-input-field').fill('ui_pipe_copy');
    await page.getByTestId('pipeline-import-dialog').getByTestId('o-dialog-primary-btn').click();
    await page.getByTestId('pipeline-list-table').getByText('ui_pipe_copy').waitFor();

    const toggle = page.getByTestId('pipeline-list-ui_pipe_copy-pause-start-alert');
    await toggle.click();
    await expect.poll(() => toggle.getAttribute('data-state')).toBe('unchecked');
    const after = (await apiGet(node.product, '/api/default/pipelines')) as {
      list: Array<{ name: string; enabled: boolean; source: { stream_name?: string } }>;
    };
    expect(after.list.map((p) => [p.name, p.enabled, p.source.stream_name]).sort()).toEqual([
      ['ui_pipe', true, 'app_src'],
      ['ui_pipe_copy', false, 'app_src2'],
    ]);

    // An edit left unsaved asks before it is dropped.
    await page.getByTestId('pipeline-list-ui_pipe-update-pipeline').click();
    await page.getByTestId('pipeline-edge-delete-btn').first().click();
    await page.getByTestId('add-pipeline-cancel-btn').click();
    await page.getByTestId('confirm-dialog').getByTestId('o-dialog-secondary-btn').click();
    await page.getByTestId('pipeline-editor-page').waitFor();
    await page.getByTestId('add-pipeline-cancel-btn').click();
    await page.getByTestId('confirm-dialog').getByTestId('o-dialog-primary-btn').click();
    await page.getByTestId('pipeline-list-page').waitFor();
    const kept = (await apiGet(node.product, '/api/default/pipelines')) as {
      list: Array<{ name: string; edges: unknown[] }>;
    };
    expect(kept.list.find((p) => p.name === 'ui_pipe')?.edges).toHaveLength(2);
    expect(node.problems.list).toEqual([]);
  });
});
