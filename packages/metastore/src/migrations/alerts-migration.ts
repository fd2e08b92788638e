/**
 * Migration 7 (alerts), one script per dialect: alerts in `alerts`-type folders, their schedule
 * state, destinations, templates and history. The state row is separate from the alert so an
 * edit and a scheduler's claim never write the same row's document.
 */
const tables = (t: { text: string; int: string; strict: string }) => `
CREATE TABLE alerts (
  org ${t.text} NOT NULL,
  alert_id ${t.text} NOT NULL,
  folder_type ${t.text} NOT NULL DEFAULT 'alerts' CHECK (folder_type = 'alerts'),
  folder_id ${t.text} NOT NULL,
  name ${t.text} NOT NULL,
  enabled ${t.int} NOT NULL,
  is_real_time ${t.int} NOT NULL,
  stream_type ${t.text} NOT NULL,
  stream_name ${t.text} NOT NULL,
  owner TEXT NOT NULL,
  data TEXT NOT NULL,
  last_edited_by TEXT NOT NULL,
  created_at ${t.int} NOT NULL,
  updated_at ${t.int} NOT NULL,
  PRIMARY KEY (org, alert_id),
  UNIQUE (org, folder_id, name),
  FOREIGN KEY (org, folder_type, folder_id) REFERENCES folders (org, folder_type, folder_id)
)${t.strict};
CREATE INDEX alerts_stream ON alerts (org, stream_type, stream_name, is_real_time);

CREATE TABLE alert_states (
  org ${t.text} NOT NULL,
  alert_id ${t.text} NOT NULL,
  next_run_at ${t.int} NOT NULL,
  last_triggered_at ${t.int} NOT NULL DEFAULT 0,
  last_satisfied_at ${t.int} NOT NULL DEFAULT 0,
  silenced_until ${t.int} NOT NULL DEFAULT 0,
  fingerprints TEXT NOT NULL DEFAULT '{}',
  claimed_by TEXT NOT NULL DEFAULT '',
  claimed_at ${t.int} NOT NULL DEFAULT 0,
  PRIMARY KEY (org, alert_id),
  FOREIGN KEY (org, alert_id) REFERENCES alerts (org, alert_id) ON DELETE CASCADE
)${t.strict};
CREATE INDEX alert_states_due ON alert_states (next_run_at);

CREATE TABLE alert_destinations (
  org ${t.text} NOT NULL,
  name ${t.text} NOT NULL,
  kind ${t.text} NOT NULL,
  data TEXT NOT NULL,
  created_at ${t.int} NOT NULL,
  updated_at ${t.int} NOT NULL,
  PRIMARY KEY (org, name)
)${t.strict};

CREATE TABLE alert_templates (
  org ${t.text} NOT NULL,
  name ${t.text} NOT NULL,
  kind ${t.text} NOT NULL,
  data TEXT NOT NULL,
  created_at ${t.int} NOT NULL,
  updated_at ${t.int} NOT NULL,
  PRIMARY KEY (org, name)
)${t.strict};

CREATE TABLE alert_history (
  org ${t.text} NOT NULL,
  entry_id ${t.text} NOT NULL,
  alert_id ${t.text} NOT NULL,
  alert_name TEXT NOT NULL,
  timestamp ${t.int} NOT NULL,
  status ${t.text} NOT NULL,
  is_real_time ${t.int} NOT NULL,
  start_time ${t.int} NOT NULL,
  end_time ${t.int} NOT NULL,
  rows_count ${t.int} NOT NULL,
  evaluation_ms ${t.int} NOT NULL,
  error TEXT NOT NULL,
  node TEXT NOT NULL,
  PRIMARY KEY (org, entry_id)
)${t.strict};
CREATE INDEX alert_history_time ON alert_history (org, timestamp);
CREATE INDEX alert_history_alert ON alert_history (org, alert_id, timestamp);
`;

export const sqliteAlerts = tables({ text: 'TEXT', int: 'INTEGER', strict: ' STRICT' });
export const postgresAlerts = tables({ text: 'TEXT COLLATE "C"', int: 'BIGINT', strict: '' });
