import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { StreamJson } from '@o2/api-schemas';
import { pipelineApi } from '../../api/pipeline-api';
import { formatCount, formatMB } from '../../app/format';
import { useOrg, useOrgPath } from '../../app/org';
import { useAsync } from '../../app/useAsync';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DataTable } from '../../components/DataTable';
import { Drawer } from '../../components/Drawer';
import { TextInput } from '../../components/TextInput';
import { Toast } from '../../components/Toast';
import { EnrichmentForm } from './EnrichmentForm';
import { useNotice } from './useNotice';

/** A table's load status from `/enrichment_tables/status` (a string, or an object with one). */
function statusOf(status: Record<string, unknown>, name: string): string {
  const value = status[name];
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && 'status' in value) {
    return String(value.status);
  }
  return 'Ready';
}

function SchemaDrawer({ name, onClose }: { name: string; onClose: () => void }) {
  const org = useOrg();
  const schema = useAsync(() => pipelineApi.enrichmentSchema(org, name), [org, name]);
  return (
    <Drawer dataTest="enrichment-schema-drawer" title={`Schema: ${name}`} onClose={onClose}>
      {schema.status === 'error' && <Toast variant="error" message={schema.error} />}
      {schema.status === 'ready' && (
        <DataTable
          dataTest="enrichment-schema-table"
          rows={schema.data.schema}
          rowKey={(f) => f.name}
          columns={[
            { key: 'name', label: 'Field', render: (f) => f.name },
            { key: 'type', label: 'Type', render: (f) => f.type },
          ]}
        />
      )}
    </Drawer>
  );
}

/** Enrichment tables (UI-SPEC §10): list, CSV upload, schema, explore in logs, delete. */
export function EnrichmentTab() {
  const org = useOrg();
  const orgPath = useOrgPath();
  const navigate = useNavigate();
  const [filter, setFilter] = useState('');
  const [form, setForm] = useState<{ existing?: string } | undefined>();
  const [schema, setSchema] = useState<string | undefined>();
  const [deleting, setDeleting] = useState<string | undefined>();
  const { notice, setNotice, run } = useNotice();
  const data = useAsync(async () => {
    const [tables, status] = await Promise.all([
      pipelineApi.enrichmentTables(org),
      pipelineApi.enrichmentStatus(org).catch(() => ({})),
    ]);
    return { tables: tables.list, status };
  }, [org]);

  if (form !== undefined) {
    return (
      <EnrichmentForm
        existing={form.existing}
        onDone={(saved) => {
          if (saved !== undefined) setNotice({ ok: true, text: saved });
          setForm(undefined);
          data.reload();
        }}
      />
    );
  }
  const tables = data.status === 'ready' ? data.data.tables : [];
  const status = data.status === 'ready' ? data.data.status : {};
  const shown = tables.filter((t) => t.name.toLowerCase().includes(filter.toLowerCase()));
  const action = (name: string, what: string, label: string, onClick: () => void) => (
    <button
      type="button"
      className="btn btn-small"
      data-test={`${name}-${what}-btn`}
      onClick={onClick}
    >
      {label}
    </button>
  );
  return (
    <section data-test="enrichment-tables-list-page">
      <div className="toolbar">
        <h1 className="page-title" data-test="enrichment-tables-list-title">
          Enrichment Tables
        </h1>
        <TextInput
          dataTest="enrichment-tables-search-input"
          label="Search enrichment table"
          value={filter}
          onChange={setFilter}
        />
        <button
          type="button"
          className="btn"
          data-test="enrichment-tables-list-refresh-btn"
          onClick={data.reload}
        >
          Refresh
        </button>
        <button
          type="button"
          className="btn btn-primary"
          data-test="enrichment-tables-add-btn"
          onClick={() => setForm({})}
        >
          Add enrichment table
        </button>
      </div>
      {notice !== undefined && (
        <Toast variant={notice.ok ? 'success' : 'error'} message={notice.text} />
      )}
      {data.status === 'error' && <Toast variant="error" message={data.error} />}
      <DataTable<StreamJson>
        dataTest="enrichment-tables-list-table"
        rows={shown}
        rowKey={(t) => t.name}
        initialSort={{ key: 'name', asc: true }}
        empty={data.status === 'loading' ? 'Loading…' : 'No enrichment tables yet'}
        columns={[
          { key: 'name', label: 'Name', render: (t) => t.name, sortValue: (t) => t.name },
          {
            key: 'doc_num',
            label: 'Records',
            render: (t) => formatCount(t.stats.doc_num),
            sortValue: (t) => t.stats.doc_num,
            align: 'right',
          },
          {
            key: 'storage_size',
            label: 'Size',
            render: (t) => formatMB(t.stats.storage_size),
            sortValue: (t) => t.stats.storage_size,
            align: 'right',
          },
          {
            key: 'status',
            label: 'Status',
            render: (t) => <span data-test={`${t.name}-status`}>{statusOf(status, t.name)}</span>,
          },
          {
            key: 'actions',
            label: 'Actions',
            render: (t) => (
              <span className="row-actions">
                {action(t.name, 'explore', 'Explore', () => {
                  void navigate(
                    orgPath('/logs', { stream: t.name, stream_type: 'enrichment_tables' }),
                  );
                })}
                {action(t.name, 'schema', 'Schema', () => setSchema(t.name))}
                {action(t.name, 'edit', 'Upload', () => setForm({ existing: t.name }))}
                {action(t.name, 'delete', 'Delete', () => setDeleting(t.name))}
              </span>
            ),
          },
        ]}
      />
      {schema !== undefined && <SchemaDrawer name={schema} onClose={() => setSchema(undefined)} />}
      {deleting !== undefined && (
        <ConfirmDialog
          dataTest="confirm-dialog"
          title="Delete enrichment table"
          confirmLabel="Delete"
          onCancel={() => setDeleting(undefined)}
          onConfirm={() => {
            setDeleting(undefined);
            run(
              pipelineApi.deleteEnrichmentTable(org, deleting),
              'Enrichment table deleted',
              data.reload,
            );
          }}
        >
          <p>Delete the enrichment table “{deleting}” and its data?</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
