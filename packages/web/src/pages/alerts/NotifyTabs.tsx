import { useState } from 'react';
import type { FormEvent } from 'react';
import type { AlertDestination, AlertHistory, AlertTemplate } from '@o2/api-schemas';
import { DataTable } from '../../components/DataTable';
import { TextInput } from '../../components/TextInput';

/** Destinations: the list and a webhook form (name, URL, method, template). */
export function DestinationsTab(props: {
  destinations: AlertDestination[];
  templates: string[];
  onCreate: (d: object) => Promise<void>;
}) {
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [method, setMethod] = useState('post');
  const [template, setTemplate] = useState(props.templates[0] ?? '');
  const [error, setError] = useState<string | undefined>();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    props
      .onCreate({ name, url, method, template, type: 'http' })
      .then(() => setError(undefined))
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };
  return (
    <div>
      <DataTable
        dataTest="alert-destination-list-table"
        rows={props.destinations}
        rowKey={(d) => d.name}
        columns={[
          { key: 'name', label: 'Name', render: (d) => d.name, sortValue: (d) => d.name },
          { key: 'url', label: 'URL', render: (d) => d.url },
          { key: 'method', label: 'Method', render: (d) => d.method },
          { key: 'template', label: 'Template', render: (d) => d.template },
        ]}
        empty="No destinations yet"
      />
      <form data-test="add-destination-form" onSubmit={submit}>
        <TextInput
          dataTest="add-destination-name-input"
          label="Name"
          value={name}
          onChange={setName}
        />
        <TextInput dataTest="add-destination-url-input" label="URL" value={url} onChange={setUrl} />
        <select
          data-test="add-destination-method-select"
          aria-label="Method"
          value={method}
          onChange={(e) => setMethod(e.target.value)}
        >
          {['post', 'put', 'get'].map((m) => (
            <option key={m}>{m}</option>
          ))}
        </select>
        <select
          data-test="add-destination-template-select"
          aria-label="Template"
          value={template}
          onChange={(e) => setTemplate(e.target.value)}
        >
          {props.templates.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
        {error !== undefined && <p role="alert">{error}</p>}
        <button type="submit" data-test="add-destination-submit">
          Save destination
        </button>
      </form>
    </div>
  );
}

/** Templates: the org's and the system ones, and a form for a new one. */
export function TemplatesTab(props: {
  templates: AlertTemplate[];
  onCreate: (t: object) => Promise<void>;
}) {
  const [name, setName] = useState('');
  const [body, setBody] = useState('{"text":"{alert_name}: {alert_count} rows\\n{rows}"}');
  const [error, setError] = useState<string | undefined>();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    props
      .onCreate({ name, body, type: 'http' })
      .then(() => setError(undefined))
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };
  return (
    <div>
      <DataTable
        dataTest="alert-template-list-table"
        rows={props.templates}
        rowKey={(t) => t.name}
        columns={[
          { key: 'name', label: 'Name', render: (t) => t.name, sortValue: (t) => t.name },
          { key: 'type', label: 'Type', render: (t) => t.type },
          { key: 'prebuilt', label: 'System', render: (t) => (t.isPrebuilt ? 'yes' : '') },
        ]}
      />
      <form data-test="add-template-form" onSubmit={submit}>
        <TextInput
          dataTest="add-template-name-input"
          label="Name"
          value={name}
          onChange={setName}
        />
        <label className="o-input">
          <span className="o-input-label">Body</span>
          <textarea
            data-test="add-template-body-input"
            value={body}
            onChange={(e) => setBody(e.target.value)}
            rows={4}
          />
        </label>
        {error !== undefined && <p role="alert">{error}</p>}
        <button type="submit" data-test="add-template-submit">
          Save template
        </button>
      </form>
    </div>
  );
}

/** History: every evaluation, newest first. */
export function HistoryTab({ history }: { history: AlertHistory }) {
  return (
    <DataTable
      dataTest="alert-history-table"
      rows={history.hits}
      rowKey={(h) => `${h.alert_id}-${h.timestamp}`}
      columns={[
        {
          key: 'timestamp',
          label: 'Time',
          render: (h) => new Date(h.timestamp / 1000).toISOString(),
          sortValue: (h) => h.timestamp,
        },
        {
          key: 'alert_name',
          label: 'Alert',
          render: (h) => h.alert_name,
          sortValue: (h) => h.alert_name,
        },
        { key: 'status', label: 'Status', render: (h) => h.status, sortValue: (h) => h.status },
        { key: 'rows', label: 'Rows', render: (h) => h.rows_count },
        { key: 'took', label: 'Evaluation (s)', render: (h) => h.evaluation_took_in_secs },
        { key: 'error', label: 'Error', render: (h) => h.error ?? '' },
      ]}
      empty="No evaluations yet"
    />
  );
}
