import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../../api/client';
import { pipelineApi } from '../../api/pipeline-api';
import type { VrlFunction } from '../../api/pipeline-api';
import { useOrg, useOrgPath } from '../../app/org';
import { useAsync } from '../../app/useAsync';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DataTable } from '../../components/DataTable';
import { TextInput } from '../../components/TextInput';
import { Toast } from '../../components/Toast';
import { FunctionEditor } from './FunctionEditor';
import { errorText, useNotice } from './useNotice';

type Deleting = { name: string; inUse?: string };

/** The pipelines a function feeds, fetched when its popover opens. */
function PipelinesPopover({ name }: { name: string }) {
  const org = useOrg();
  const [open, setOpen] = useState(false);
  const uses = useAsync(
    () => (open ? pipelineApi.functionPipelines(org, name) : Promise.resolve({ list: [] })),
    [org, name, open],
  );
  return (
    <span className="popover-anchor">
      <button
        type="button"
        className="btn btn-small"
        aria-expanded={open}
        data-test={`function-list-${name}-pipelines-btn`}
        onClick={() => setOpen(!open)}
      >
        Pipelines
      </button>
      {open && (
        <div className="popover" data-state="open" data-test={`function-list-${name}-pipelines`}>
          {uses.status === 'ready' &&
            (uses.data.list.length === 0 ? (
              <em>Not used by any pipeline</em>
            ) : (
              <ul>
                {uses.data.list.map((p) => (
                  <li key={p.id ?? p.pipeline_id ?? p.name}>{p.name}</li>
                ))}
              </ul>
            ))}
          {uses.status === 'error' && <span role="alert">{uses.error}</span>}
        </div>
      )}
    </span>
  );
}

/** Functions list (UI-SPEC §10): search, refresh, edit, delete (refused while pipelines use it). */
export function FunctionsTab() {
  const org = useOrg();
  const orgPath = useOrgPath();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [filter, setFilter] = useState('');
  const [deleting, setDeleting] = useState<Deleting | undefined>();
  const { notice, setNotice } = useNotice();
  const list = useAsync(() => pipelineApi.functions(org), [org]);
  const action = params.get('action');
  const editing = params.get('name') ?? '';
  const go = (next: Record<string, string>) => {
    const p = new URLSearchParams(params);
    p.delete('action');
    p.delete('name');
    for (const [k, v] of Object.entries(next)) p.set(k, v);
    setParams(p);
  };

  if (action === 'add' || action === 'update') {
    const current =
      list.status === 'ready' ? list.data.list.find((f) => f.name === editing) : undefined;
    if (action === 'update' && current === undefined) {
      return list.status === 'error' ? (
        <Toast variant="error" message={list.error} />
      ) : (
        <div className="page-loading" aria-busy="true" />
      );
    }
    return (
      <FunctionEditor
        key={editing}
        existing={current}
        onDone={(saved) => {
          if (saved !== undefined) setNotice({ ok: true, text: saved });
          list.reload();
          go({});
        }}
      />
    );
  }

  const remove = (name: string) =>
    void pipelineApi.deleteFunction(org, name).then(
      () => {
        setDeleting(undefined);
        setNotice({ ok: true, text: 'Function deleted successfully' });
        list.reload();
      },
      (e: unknown) => {
        // The server refuses (409) while a pipeline uses the function: say which, and lead there.
        if (e instanceof ApiError && e.status === 409) setDeleting({ name, inUse: e.message });
        else {
          setDeleting(undefined);
          setNotice({ ok: false, text: errorText(e) });
        }
      },
    );
  const rows = list.status === 'ready' ? list.data.list : [];
  const shown = rows.filter((f) => f.name.toLowerCase().includes(filter.toLowerCase()));
  return (
    <section data-test="function-list-page">
      <div className="toolbar">
        <h1 className="page-title">Functions</h1>
        <TextInput
          dataTest="functions-list-search-input"
          label="Search function"
          value={filter}
          onChange={setFilter}
        />
        <button
          type="button"
          className="btn"
          data-test="function-list-refresh-btn"
          onClick={list.reload}
        >
          Refresh
        </button>
        <button
          type="button"
          className="btn btn-primary"
          data-test="function-list-add-function-btn"
          onClick={() => go({ action: 'add' })}
        >
          New function
        </button>
      </div>
      {notice !== undefined && (
        <Toast variant={notice.ok ? 'success' : 'error'} message={notice.text} />
      )}
      {list.status === 'error' && <Toast variant="error" message={list.error} />}
      <DataTable<VrlFunction>
        dataTest="function-list-table"
        rows={shown}
        rowKey={(f) => f.name}
        initialSort={{ key: 'name', asc: true }}
        empty={list.status === 'loading' ? 'Loading…' : 'No functions yet'}
        columns={[
          { key: 'name', label: 'Name', render: (f) => f.name, sortValue: (f) => f.name },
          {
            key: 'type',
            label: 'Type',
            render: (f) => (
              <span className="badge" data-test={`function-list-${f.name}-type`}>
                {f.transType === 1 ? 'JS' : 'VRL'}
              </span>
            ),
          },
          {
            key: 'pipelines',
            label: 'Pipelines',
            render: (f) => <PipelinesPopover name={f.name} />,
          },
          {
            key: 'actions',
            label: 'Actions',
            render: (f) => (
              <>
                <button
                  type="button"
                  className="btn btn-small"
                  data-test="function-list-edit-btn"
                  onClick={() => go({ action: 'update', name: f.name })}
                >
                  Edit
                </button>{' '}
                <button
                  type="button"
                  className="btn btn-small btn-danger"
                  data-test="function-list-delete-btn"
                  onClick={() => setDeleting({ name: f.name })}
                >
                  Delete
                </button>
              </>
            ),
          },
        ]}
      />
      {deleting !== undefined && (
        <ConfirmDialog
          dataTest="confirm-dialog"
          title={deleting.inUse === undefined ? 'Delete function' : 'Function in use'}
          confirmLabel={deleting.inUse === undefined ? 'Delete' : 'Open pipelines'}
          onCancel={() => setDeleting(undefined)}
          onConfirm={() =>
            deleting.inUse === undefined
              ? remove(deleting.name)
              : void navigate(orgPath('/pipeline/pipelines'))
          }
        >
          {deleting.inUse === undefined ? (
            <p>Delete the function “{deleting.name}”?</p>
          ) : (
            <p data-test="function-in-use-message">
              {deleting.inUse}. Remove it from those pipelines first, then delete it.
            </p>
          )}
        </ConfirmDialog>
      )}
    </section>
  );
}
