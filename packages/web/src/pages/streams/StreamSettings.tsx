import { useState } from 'react';
import type { StreamJson } from '@o2/api-schemas';
import { api } from '../../api/endpoints';
import type { StreamSettingsChange } from '../../api/endpoints';
import { useOrg } from '../../app/org';
import { TextInput } from '../../components/TextInput';
import { Toast } from '../../components/Toast';

const list = (text: string): string[] => [
  ...new Set(
    text
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  ),
];

function partitionFields(stream: StreamJson): string[] {
  return Object.values(stream.settings.partition_keys).flatMap((p) =>
    typeof p === 'object' && p !== null && typeof (p as { field?: unknown }).field === 'string'
      ? [(p as { field: string }).field]
      : [],
  );
}

const diff = (before: string[], after: string[]) => ({
  add: after.filter((f) => !before.includes(f)),
  remove: before.filter((f) => !after.includes(f)),
});

interface Props {
  stream: StreamJson;
  type: string;
  onSaved: () => void;
}

/** The schema drawer's Configuration: full-text keys, partition keys, retention, max query range. */
export function StreamSettings({ stream, type, onSaved }: Props) {
  const org = useOrg();
  const fts = stream.settings.full_text_search_keys;
  const partitions = partitionFields(stream);
  const [ftsText, setFtsText] = useState(fts.join(', '));
  const [partitionText, setPartitionText] = useState(partitions.join(', '));
  const [retention, setRetention] = useState(String(stream.settings.data_retention));
  const [maxRange, setMaxRange] = useState(String(stream.settings.max_query_range));
  const [result, setResult] = useState<{ ok: boolean; text: string } | undefined>();

  const save = () => {
    const change: StreamSettingsChange = {
      full_text_search_keys: diff(fts, list(ftsText)),
      partition_keys: diff(partitions, list(partitionText)),
      data_retention: Number(retention),
      max_query_range: Number(maxRange),
    };
    api.updateStreamSettings(org, stream.name, type, change).then(
      () => {
        setResult({ ok: true, text: 'Stream settings updated' });
        onSaved();
      },
      (error: unknown) =>
        setResult({ ok: false, text: error instanceof Error ? error.message : String(error) }),
    );
  };

  return (
    <section
      className="stream-settings"
      data-test="schema-stream-settings"
      aria-label="Configuration"
    >
      <h3>Configuration</h3>
      <TextInput
        dataTest="stream-settings-full-text-keys"
        label="Full text search keys (comma separated)"
        value={ftsText}
        onChange={setFtsText}
      />
      <TextInput
        dataTest="stream-settings-partition-keys"
        label="Partition keys (comma separated)"
        value={partitionText}
        onChange={setPartitionText}
      />
      <TextInput
        dataTest="stream-details-data-retention-input"
        label="Data retention (days)"
        type="number"
        min={0}
        value={retention}
        onChange={setRetention}
      />
      <TextInput
        dataTest="stream-details-max-query-range-input"
        label="Max query range (hours, 0 = unlimited)"
        type="number"
        min={0}
        value={maxRange}
        onChange={setMaxRange}
      />
      <button
        type="button"
        className="btn btn-primary"
        data-test="schema-update-settings-button"
        onClick={save}
      >
        Update Settings
      </button>
      {result !== undefined && (
        <Toast variant={result.ok ? 'success' : 'error'} message={result.text} />
      )}
    </section>
  );
}
