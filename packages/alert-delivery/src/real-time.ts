import { MAX_ALERT_ROWS, matchesRecord, parseConditions, thresholdMet } from '@o2/alerts';
import type { AlertDefinition, Condition } from '@o2/alerts';
import type { StoredAlert } from '@o2/metastore';
import { newEntryId, notifySatisfied } from './alert-notifier.js';
import type { NotifyDeps } from './alert-notifier.js';

export interface RealTimeAlerts {
  /** Checks freshly acknowledged rows of one stream; never throws, never delays the caller. */
  check(
    key: { org: string; type: string; stream: string },
    rows: ReadonlyArray<Record<string, unknown>>,
  ): void;
  /** Resolves when the checks started so far are done (tests, shutdown). */
  idle(): Promise<void>;
}

/** How long a stream's real-time alert list is reused before it is read again. */
const LIST_TTL_MS = 2_000;
const MAX_CACHED_STREAMS = 1_000;
/** Checks running at once; past it a batch is skipped (and logged) rather than queued without bound. */
const MAX_IN_FLIGHT = 32;

interface Compiled {
  stored: StoredAlert;
  alert: AlertDefinition;
  condition: Condition;
}

/**
 * Real-time alerts (O2's `is_real_time`): evaluated in the ingester on the rows it has just
 * acknowledged, before they reach any file. The rows matching an alert's conditions in one
 * ingest request are its count (compared with the threshold); silence and dedup apply as for
 * scheduled alerts. The work runs after the answer is sent, on a bounded number of checks, and
 * reads each stream's alert list at most every 2 s, so an ingest never waits on alerting.
 */
export function realTimeAlerts(deps: NotifyDeps & { nodeId: string }): RealTimeAlerts {
  const lists = new Map<string, { at: number; alerts: Promise<Compiled[]> }>();
  const running = new Set<Promise<void>>();

  const alertsOf = (org: string, type: string, stream: string): Promise<Compiled[]> => {
    const key = `${org}/${type}/${stream}`;
    const cached = lists.get(key);
    if (cached !== undefined && deps.now() - cached.at < LIST_TTL_MS) return cached.alerts;
    if (lists.size >= MAX_CACHED_STREAMS) lists.clear();
    const alerts = deps.metaStore.alerts.listRealTime(org, type, stream).then((stored) =>
      stored.map((s) => {
        const alert = JSON.parse(s.data) as AlertDefinition;
        return { stored: s, alert, condition: parseConditions(alert.query_condition.conditions) };
      }),
    );
    lists.set(key, { at: deps.now(), alerts });
    alerts.catch(() => lists.delete(key));
    return alerts;
  };

  const run = async (
    key: { org: string; type: string; stream: string },
    rows: ReadonlyArray<Record<string, unknown>>,
  ) => {
    for (const { stored, alert, condition } of await alertsOf(key.org, key.type, key.stream)) {
      const matched = rows.filter((row) => matchesRecord(condition, row));
      if (matched.length === 0 || !thresholdMet(matched.length, alert.trigger_condition)) continue;
      const times = matched.map((r) => Number(r['_timestamp'])).filter(Number.isFinite);
      const window = {
        startUs: times.length > 0 ? Math.min(...times) : deps.now() * 1000,
        endUs: times.length > 0 ? Math.max(...times) : deps.now() * 1000,
      };
      const started = deps.now();
      const record = (status: string, rowsCount: number, error = '') =>
        deps.metaStore.alertHistory.add({
          org: key.org,
          entryId: newEntryId(),
          alertId: stored.alertId,
          alertName: alert.name,
          timestamp: deps.now() * 1000,
          status,
          isRealTime: true,
          startTime: window.startUs,
          endTime: window.endUs,
          rowsCount,
          evaluationMs: deps.now() - started,
          error,
          node: deps.nodeId,
        });
      await notifySatisfied(
        deps,
        { org: key.org, alertId: stored.alertId },
        alert,
        { count: matched.length, rows: matched.slice(0, MAX_ALERT_ROWS), sql: '' },
        window,
        record,
      );
    }
  };

  return {
    check: (key, rows) => {
      if (rows.length === 0) return;
      if (running.size >= MAX_IN_FLIGHT) {
        deps.logger.warn(
          { org: key.org, stream: key.stream },
          'real-time alert check skipped: too many running',
        );
        return;
      }
      const task = run(key, rows)
        .catch((error: unknown) =>
          deps.logger.error(
            { err: error, org: key.org, stream: key.stream },
            'real-time alert check failed',
          ),
        )
        .finally(() => running.delete(task));
      running.add(task);
    },
    idle: async () => {
      await Promise.all([...running]);
    },
  };
}
