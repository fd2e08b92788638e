import { useState } from 'react';
import { NavLink, useParams } from 'react-router';
import { api } from '../api/endpoints';
import { apiOrigin } from '../app/paths';
import { useOrg, useOrgPath } from '../app/org';
import { useSession } from '../app/session';
import { useAsync } from '../app/useAsync';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { CopyBlock } from '../components/CopyBlock';
import { Toast } from '../components/Toast';
import { SNIPPETS, basicToken } from './ingestion/snippets';
import type { Snippet } from './ingestion/snippets';

const TABS = ['logs', 'metrics', 'traces'] as const;

/** Ingestion: copy-ready snippets filled with this user's e-mail and org passcode. */
export default function IngestionPage() {
  const org = useOrg();
  const orgPath = useOrgPath();
  const { config } = useSession();
  const { '*': rest = '' } = useParams();
  const [, tabPart, sourcePart] = rest.split('/');
  const tab = TABS.find((t) => t === tabPart) ?? 'logs';
  const sources = SNIPPETS.filter((s) => s.tab === tab);
  const source: Snippet | undefined = sources.find((s) => s.id === sourcePart) ?? sources[0];
  const passcode = useAsync(() => api.passcode(org), [org]);
  const [confirmReset, setConfirmReset] = useState(false);
  const [resetError, setResetError] = useState<string | undefined>();

  return (
    <div className="ingestion" data-test="ingestion-page">
      <div className="toolbar">
        <h1 className="page-title">Ingestion</h1>
        <button
          type="button"
          className="btn"
          data-test="ingestion-reset-passcode-btn"
          onClick={() => setConfirmReset(true)}
        >
          Reset passcode
        </button>
      </div>
      {resetError !== undefined && <Toast variant="error" message={resetError} />}
      {confirmReset && (
        <ConfirmDialog
          dataTest="ingestion-reset-passcode-dialog"
          title="Reset passcode"
          confirmLabel="OK"
          onCancel={() => setConfirmReset(false)}
          onConfirm={() => {
            setConfirmReset(false);
            api
              .rotatePasscode(org)
              .then(passcode.reload, (error: unknown) =>
                setResetError(error instanceof Error ? error.message : String(error)),
              );
          }}
        >
          A new passcode replaces the current one: every shipper using it must be updated.
        </ConfirmDialog>
      )}
      <div role="tablist" className="tabs">
        {TABS.map((t) => (
          <NavLink
            key={t}
            role="tab"
            to={orgPath(`/ingestion/custom/${t}`)}
            aria-selected={t === tab}
            data-state={t === tab ? 'active' : 'inactive'}
            data-test={`ingestion-custom-${t}-tab`}
          >
            {t[0]?.toUpperCase()}
            {t.slice(1)}
          </NavLink>
        ))}
      </div>
      <div className="ingestion-body">
        <nav className="ingestion-sources" aria-label="Sources">
          {sources.map((s) => (
            <NavLink
              key={s.id}
              to={orgPath(`/ingestion/custom/${tab}/${s.id}`)}
              data-test={`ingestion-${tab}-${s.id}-item`}
              className={s === source ? 'active' : undefined}
            >
              {s.label}
            </NavLink>
          ))}
        </nav>
        <section className="ingestion-snippet">
          {passcode.status === 'error' && <Toast variant="error" message={passcode.error} />}
          {passcode.status === 'ready' && source !== undefined && (
            <SnippetView
              source={source}
              tab={tab}
              url={apiOrigin(config.ingestion_url)}
              org={org}
              email={passcode.data.data.user}
              passcode={passcode.data.data.passcode}
            />
          )}
        </section>
      </div>
    </div>
  );
}

function SnippetView(props: {
  source: Snippet;
  tab: string;
  url: string;
  org: string;
  email: string;
  passcode: string;
}) {
  const { source, tab, ...values } = props;
  return (
    <CopyBlock
      dataTest={`ingestion-${tab}-${source.id}-snippet`}
      text={source.text(values)}
      secrets={[values.email, values.passcode, basicToken(values)]}
    />
  );
}
