import { useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { pipelineApi, pipelineId } from '../../api/pipeline-api';
import type { Pipeline } from '../../api/pipeline-api';
import { downloadText } from '../../app/download';
import { useOrg, useOrgPath } from '../../app/org';
import { useAsync } from '../../app/useAsync';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DataTable } from '../../components/DataTable';
import { TextInput } from '../../components/TextInput';
import { Toast } from '../../components/Toast';
import { ImportDialog } from './ImportDialog';
import { useNotice } from './useNotice';

/** Pipelines list (UI-SPEC §10): enable toggle, edit, export, delete, import JSON. */
export function PipelinesTab() {
  const org = useOrg();
  const orgPath = useOrgPath();
  const navigate = useNavigate();
  const [filter, setFilter] = useState('');
  const [importing, setImporting] = useState(false);
  const [deleting, setDeleting] = useState<Pipeline | undefined>();
  const arrived = (useLocation().state as { notice?: string } | null)?.notice;
  const { notice, setNotice, run } = useNotice(arrived);
  const list = useAsync(() => pipelineApi.pipelines(org), [org]);
  const rows = list.status === 'ready' ? list.data.list : [];
  const shown = rows.filter((p) => p.name.toLowerCase().includes(filter.toLowerCase()));
  const button = (p: Pipeline, what: string, label: string, onClick: () => void) => (
    <button
      type="button"
      className="btn btn-small"
      data-test={`pipeline-list-${p.name}-${what}`}
      onClick={onClick}
    >
      {label}
    </button>
  );

  return (
    <section data-test="pipeline-list-page">
      <div className="toolbar">
        <h1 className="page-title">Pipelines</h1>
        <TextInput
          dataTest="pipeline-list-search-input"
          label="Search pipeline"
          value={filter}
          onChange={setFilter}
        />
        <button
          type="button"
          className="btn"
          data-test="pipeline-list-refresh-btn"
          onClick={list.reload}
        >
          Refresh
        </button>
        <button
          type="button"
          className="btn"
          data-test="pipeline-list-import-pipeline-btn"
          onClick={() => setImporting(true)}
        >
          Import
        </button>
        <button
          type="button"
          className="btn btn-primary"
          data-test="pipeline-list-add-pipeline-btn"
          onClick={() => void navigate(orgPath('/pipeline/pipelines/add'))}
        >
          Add pipeline
        </button>
      </div>
      {notice !== undefined && (
        <Toast variant={notice.ok ? 'success' : 'error'} message={notice.text} />
      )}
      {list.status === 'error' && <Toast variant="error" message={list.error} />}
      <DataTable<Pipeline>
        dataTest="pipeline-list-table"
        rows={shown}
        rowKey={(p) => pipelineId(p) || p.name}
        initialSort={{ key: 'name', asc: true }}
        empty={list.status === 'loading' ? 'Loading…' : 'No pipelines yet'}
        columns={[
          { key: 'name', label: 'Name', render: (p) => p.name, sortValue: (p) => p.name },
          {
            key: 'type',
            label: 'Type',
            render: (p) => (p.source.source_type === 'scheduled' ? 'Scheduled' : 'Real-time'),
          },
          {
            key: 'stream_name',
            label: 'Source stream',
            render: (p) =>
              p.source.stream_name === undefined
                ? '—'
                : `${p.source.stream_type ?? 'logs'}/${p.source.stream_name}`,
          },
          {
            key: 'enabled',
            label: 'Enabled',
            render: (p) => (
              <button
                type="button"
                role="switch"
                className="switch"
                aria-checked={p.enabled}
                aria-label={`Enable ${p.name}`}
                data-state={p.enabled ? 'checked' : 'unchecked'}
                data-test={`pipeline-list-${p.name}-pause-start-alert`}
                onClick={() =>
                  run(
                    pipelineApi.enablePipeline(org, pipelineId(p), !p.enabled),
                    p.enabled ? 'Pipeline paused' : 'Pipeline enabled',
                    list.reload,
                  )
                }
              >
                {p.enabled ? 'On' : 'Off'}
              </button>
            ),
          },
          {
            key: 'actions',
            label: 'Actions',
            render: (p) => (
              <span className="row-actions">
                {button(p, 'update-pipeline', 'Edit', () => {
                  void navigate(orgPath('/pipeline/pipelines/edit', { id: pipelineId(p) }));
                })}
                {button(p, 'export-action', 'Export', () =>
                  downloadText(`pipeline-${p.name}.json`, JSON.stringify(p, null, 2)),
                )}
                {button(p, 'delete-pipeline', 'Delete', () => setDeleting(p))}
              </span>
            ),
          },
        ]}
      />
      {importing && (
        <ImportDialog
          onDone={(saved) => {
            setImporting(false);
            if (saved !== undefined) {
              setNotice({ ok: true, text: saved });
              list.reload();
            }
          }}
        />
      )}
      {deleting !== undefined && (
        <ConfirmDialog
          dataTest="confirm-dialog"
          title="Delete pipeline"
          confirmLabel="Delete"
          onCancel={() => setDeleting(undefined)}
          onConfirm={() => {
            setDeleting(undefined);
            run(
              pipelineApi.deletePipeline(org, pipelineId(deleting)),
              'Pipeline deleted successfully',
              list.reload,
            );
          }}
        >
          <p>Delete the pipeline “{deleting.name}”?</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
