import { nextRunTime } from '@o2/alerts';
import type { AlertDefinition, SsrfPolicy } from '@o2/alerts';
import type { Logger } from '@o2/logger';
import type { AlertState, MetaStore } from '@o2/metastore';
import { evaluateAlert } from './evaluate.js';
import type { Evaluators } from './evaluate.js';
import { newEntryId, notifySatisfied } from '@o2/alert-delivery';

export interface SchedulerDeps extends Evaluators {
  metaStore: MetaStore;
  logger: Logger;
  nodeId: string;
  policy: SsrfPolicy;
  webUrl: string;
  /** Length of an alert minute in ms (60 000; shorter in tests). */
  minuteMs: number;
  now: () => number;
}

export interface SchedulerPass {
  /** Runs this node claimed and evaluated. */
  evaluated: number;
  /** Of those, the ones that notified. */
  fired: number;
}

const DUE_BATCH = 100;

/**
 * One scheduler pass: every due run is claimed in the metastore first (a conditional UPDATE that
 * exactly one claimer wins, whichever alertmanager or leader term it is), then evaluated over its
 * own period — [run − period, run) — notified, and recorded in the history. A run claimed by a
 * process that dies before notifying is lost rather than sent twice; the next run is the
 * successor's.
 */
export async function runDueAlerts(deps: SchedulerDeps): Promise<SchedulerPass> {
  const pass: SchedulerPass = { evaluated: 0, fired: 0 };
  const now = deps.now();
  for (const due of await deps.metaStore.alerts.due(now, DUE_BATCH)) {
    try {
      const stored = await deps.metaStore.alerts.get(due.org, due.alertId);
      if (stored === undefined) continue;
      const alert = JSON.parse(stored.data) as AlertDefinition;
      const next = nextRunTime(alert.trigger_condition, now, deps.minuteMs, due.nextRunAt);
      if (
        !(await deps.metaStore.alerts.claim(due.org, due.alertId, due.nextRunAt, next, deps.nodeId))
      )
        continue;
      pass.evaluated++;
      if (await runClaimed(deps, due, alert)) pass.fired++;
    } catch (error) {
      deps.logger.error({ err: error, org: due.org, alert: due.alertId }, 'alert run failed');
    }
  }
  return pass;
}

async function runClaimed(deps: SchedulerDeps, due: AlertState, alert: AlertDefinition) {
  const started = deps.now();
  const endUs = due.nextRunAt * 1000;
  const startUs = endUs - alert.trigger_condition.period * deps.minuteMs * 1000;
  const record = (status: string, rowsCount: number, error = '') =>
    deps.metaStore.alertHistory.add({
      org: due.org,
      entryId: newEntryId(),
      alertId: due.alertId,
      alertName: alert.name,
      timestamp: deps.now() * 1000,
      status,
      isRealTime: false,
      startTime: startUs,
      endTime: endUs,
      rowsCount,
      evaluationMs: deps.now() - started,
      error,
      node: deps.nodeId,
    });
  let evaluation;
  try {
    evaluation = await evaluateAlert(due.org, alert, { startUs, endUs }, deps, deps.minuteMs);
  } catch (error) {
    await record('error', 0, (error as Error).message);
    return false;
  }
  if (!evaluation.satisfied) {
    await record('ok', evaluation.count);
    return false;
  }
  return notifySatisfied(deps, due, alert, evaluation, { startUs, endUs }, record);
}
