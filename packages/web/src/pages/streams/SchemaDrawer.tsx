import { useState } from 'react';
import { api } from '../../api/endpoints';
import { absoluteTime, formatCount, formatMB } from '../../app/format';
import { useOrg } from '../../app/org';
import { useAsync } from '../../app/useAsync';
import { DataTable } from '../../components/DataTable';
import { Drawer } from '../../components/Drawer';
import { TextInput } from '../../components/TextInput';
import { Toast } from '../../components/Toast';
import { StreamSettings } from './StreamSettings';

interface Props {
  stream: string;
  type: string;
  onClose: () => void;
}

/** Which index an O2 stream setting puts on a field, as O2's schema drawer names it. */
function indexType(
  field: string,
  settings: {
    full_text_search_keys: string[];
    index_fields: string[];
    bloom_filter_fields: string[];
    partition_keys: Record<string, unknown>;
  },
): string {
  const partitioned = Object.values(settings.partition_keys).some(
    (p) => typeof p === 'object' && p !== null && (p as { field?: unknown }).field === field,
  );
  const kinds = [
    settings.full_text_search_keys.includes(field) ? 'Full text search' : '',
    settings.index_fields.includes(field) ? 'Secondary index' : '',
    settings.bloom_filter_fields.includes(field) ? 'Bloom filter' : '',
    partitioned ? 'KeyValue partition' : '',
  ].filter((k) => k !== '');
  return kinds.join(', ');
}

/** The stream detail drawer: stat tiles and the searchable fields table with types. */
export function SchemaDrawer({ stream, type, onClose }: Props) {
  const org = useOrg();
  const [filter, setFilter] = useState('');
  const schema = useAsync(() => api.streamSchema(org, stream, type), [org, stream, type]);
  return (
    <Drawer dataTest="log-stream-schema-drawer" title={`Stream: ${stream}`} onClose={onClose}>
      {schema.status === 'loading' && <div className="page-loading" aria-busy="true" />}
      {schema.status === 'error' && <Toast variant="error" message={schema.error} />}
      {schema.status === 'ready' && (
        <>
          <dl className="stat-grid" data-test="schema-stats">
            <dt>Docs count</dt>
            <dd data-test="schema-stat-doc-num">{formatCount(schema.data.stats.doc_num)}</dd>
            <dt>Storage size</dt>
            <dd>{formatMB(schema.data.stats.storage_size)}</dd>
            <dt>Compressed size</dt>
            <dd>{formatMB(schema.data.stats.compressed_size)}</dd>
            <dt>Index size</dt>
            <dd>{formatMB(schema.data.stats.index_size)}</dd>
            <dt>Time range</dt>
            <dd>
              {absoluteTime(schema.data.stats.doc_time_min)} →{' '}
              {absoluteTime(schema.data.stats.doc_time_max)}
            </dd>
          </dl>
          <TextInput
            dataTest="schema-field-search-input"
            label="Search fields"
            value={filter}
            onChange={setFilter}
          />
          <DataTable
            dataTest="schema-log-stream-field-mapping-table"
            rowKey={(f) => f.name}
            initialSort={{ key: 'name', asc: true }}
            rows={schema.data.schema.filter((f) =>
              f.name.toLowerCase().includes(filter.toLowerCase()),
            )}
            columns={[
              { key: 'name', label: 'Name', render: (f) => f.name, sortValue: (f) => f.name },
              { key: 'type', label: 'Type', render: (f) => f.type, sortValue: (f) => f.type },
              {
                key: 'index_type',
                label: 'Index type',
                render: (f) => indexType(f.name, schema.data.settings),
              },
            ]}
          />
          <StreamSettings stream={schema.data} type={type} onSaved={schema.reload} />
        </>
      )}
    </Drawer>
  );
}
