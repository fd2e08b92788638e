import { useState } from 'react';
import type { SearchResponse } from '@o2/api-schemas';
import { api } from '../../api/endpoints';
import { useOrg } from '../../app/org';
import { Drawer } from '../../components/Drawer';
import { Toast } from '../../components/Toast';

interface Props {
  stream: string;
  hit: Record<string, unknown>;
  onClose: () => void;
}

const show = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/** One record: its fields as a table or JSON, and "show context" (`_around`) on demand. */
export function DetailDrawer({ stream, hit, onClose }: Props) {
  const org = useOrg();
  const [tab, setTab] = useState<'table' | 'json'>('table');
  const [around, setAround] = useState<SearchResponse | { error: string } | undefined>();
  const key = hit['_timestamp'];

  const loadContext = () => {
    if (typeof key !== 'number') return;
    api
      .around(org, stream, key, 10)
      .then(setAround, (error: unknown) =>
        setAround({ error: error instanceof Error ? error.message : String(error) }),
      );
  };

  return (
    <Drawer dataTest="logs-detail-drawer" title="Log details" onClose={onClose}>
      <div role="tablist" className="tabs">
        {(['table', 'json'] as const).map((t) => (
          <button
            key={t}
            type="button"
            role="tab"
            className="btn"
            aria-selected={tab === t}
            data-state={tab === t ? 'active' : 'inactive'}
            data-test={`log-detail-${t}-tab`}
            onClick={() => setTab(t)}
          >
            {t === 'table' ? 'Table' : 'JSON'}
          </button>
        ))}
      </div>
      {tab === 'table' ? (
        <table className="o2-table" data-test="log-detail-table">
          <tbody>
            {Object.entries(hit).map(([field, value]) => (
              <tr key={field} data-test={`log-detail-row-${field}`}>
                <th>{field}</th>
                <td className="log-source">{show(value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <pre className="json-view" data-test="log-detail-json-content">
          {JSON.stringify(hit, null, 2)}
        </pre>
      )}
      <button
        type="button"
        className="btn"
        data-test="logs-detail-show-context-btn"
        disabled={typeof key !== 'number'}
        onClick={loadContext}
      >
        Show context
      </button>
      {around !== undefined && 'error' in around && (
        <Toast variant="error" message={around.error} />
      )}
      {around !== undefined && 'hits' in around && (
        <ol className="context-list" data-test="logs-detail-context">
          {around.hits.map((h, i) => (
            <li
              key={i}
              data-test="logs-detail-context-row"
              className={h['_timestamp'] === key ? 'anchor' : undefined}
            >
              {JSON.stringify(h)}
            </li>
          ))}
        </ol>
      )}
    </Drawer>
  );
}
