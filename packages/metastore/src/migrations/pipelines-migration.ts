/**
 * Migration 9 (pipelines), one script per dialect: each pipeline is its O2 document as JSON
 * text, with the columns the ingester and the routes filter on. A name is unique per org and a
 * stream is the source of at most one realtime pipeline (partial unique index).
 */
const tables = (t: { text: string; int: string; strict: string }) => `
CREATE TABLE pipelines (
  org ${t.text} NOT NULL,
  pipeline_id ${t.text} NOT NULL,
  name ${t.text} NOT NULL,
  enabled ${t.int} NOT NULL,
  source_type ${t.text} NOT NULL CHECK (source_type IN ('realtime', 'scheduled')),
  stream_type ${t.text} NOT NULL,
  stream_name ${t.text} NOT NULL,
  version ${t.int} NOT NULL,
  data TEXT NOT NULL,
  created_at ${t.int} NOT NULL,
  updated_at ${t.int} NOT NULL,
  PRIMARY KEY (org, pipeline_id),
  UNIQUE (org, name)
)${t.strict};
CREATE UNIQUE INDEX pipelines_realtime_source ON pipelines (org, stream_type, stream_name)
  WHERE source_type = 'realtime';
`;

export const sqlitePipelines = tables({ text: 'TEXT', int: 'INTEGER', strict: ' STRICT' });
export const postgresPipelines = tables({ text: 'TEXT', int: 'BIGINT', strict: '' });
