import { randomUUID } from 'node:crypto';
import { nextRunTime } from '@o2/alerts';
import type { TriggerTiming } from '@o2/alerts';
import type { IngestService, SearchService } from '@o2/domain';
import { AppError } from '@o2/errors';
import { applyQueryFunction, compileFunction, decodeQueryFn } from '@o2/functions';
import type { CompileFunctionOptions, CompiledFunction } from '@o2/functions';
import type { Logger } from '@o2/logger';
import type { MetaStore, StoredPipeline } from '@o2/metastore';
import {
  ExecutablePipeline,
  functionRunner,
  scheduleRunPrefix,
  scheduleStateKey,
} from '@o2/pipelines';
import type { Pipeline, ScheduledSource } from '@o2/pipelines';

export interface PipelineSchedulerDeps {
  metaStore: MetaStore;
  logger: Logger;
  nodeId: string;
  /** Length of a schedule minute in ms (60 000; shorter in tests, as for alerts). */
  minuteMs: number;
  now: () => number;
  flattenLevel: number;
  /** The querier's SQL face: the source query runs as `_search` would run it. */
  search?: SearchService;
  /** Where the output rows are stored: the ingest service, so they are WAL-acknowledged. */
  ingest?: IngestService;
  /** The org's VRL functions beyond the standard library (enrichment-table lookups). */
  vrlFunctions?: (org: string) => Promise<CompileFunctionOptions['vrlFunctions']>;
}

export interface PipelinePass {
  /** Runs this node claimed and executed. */
  ran: number;
  /** Runs that failed (logged). */
  failed: number;
  /** Rows stored in destination streams. */
  stored: number;
}

/** Rows one run reads from its source query (pages of PAGE). */
const MAX_ROWS = 100_000;
const PAGE = 10_000;
/** A run's claim never goes stale: a run claimed by a dead node is lost, never doubled. */
const NEVER_STALE = Number.MAX_SAFE_INTEGER;

interface ScheduleState {
  /** When the next run is due (ms). */
  next: number;
  /** The pipeline version the schedule was computed for (an edit restarts it). */
  version: number;
}

function timingOf(source: ScheduledSource): TriggerTiming {
  const t = source.trigger_condition as ScheduledSource['trigger_condition'] & {
    timezone?: unknown;
    align_time?: unknown;
  };
  return {
    frequency: t.frequency,
    frequency_type: t.frequency_type === 'cron' ? 'cron' : 'minutes',
    cron: t.cron,
    timezone: typeof t.timezone === 'string' && t.timezone !== '' ? t.timezone : 'UTC',
    align_time: t.align_time !== false,
  };
}

function parseState(text: string | undefined): ScheduleState | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as Partial<ScheduleState>;
    if (typeof value.next === 'number' && typeof value.version === 'number')
      return { next: value.next, version: value.version };
  } catch {
    // a damaged state restarts the schedule
  }
  return undefined;
}

/**
 * One pass over every enabled scheduled pipeline: a due run is claimed in the org's kv store
 * (one claim key per run time, first claimer wins, whichever node or leader term), the schedule
 * moves on, and only then the run executes. A pipeline that fails is logged and never stops the
 * others.
 */
export async function runDuePipelines(deps: PipelineSchedulerDeps): Promise<PipelinePass> {
  const pass: PipelinePass = { ran: 0, failed: 0, stored: 0 };
  for (const row of await deps.metaStore.pipelines.listEnabledScheduled()) {
    try {
      const stored = await runIfDue(deps, row);
      if (stored === undefined) continue;
      pass.ran++;
      pass.stored += stored;
    } catch (error) {
      pass.failed++;
      deps.logger.error(
        { err: error, org: row.org, pipeline: row.pipelineId, name: row.name },
        'scheduled pipeline run failed',
      );
    }
  }
  return pass;
}

/** Rows stored when the pipeline ran now, undefined when it was not due or not ours. */
async function runIfDue(deps: PipelineSchedulerDeps, row: StoredPipeline) {
  const pipeline = JSON.parse(row.data) as Pipeline;
  const source = pipeline.source;
  if (source?.source_type !== 'scheduled') return undefined;
  const timing = timingOf(source);
  const kv = deps.metaStore.kv;
  const stateKey = scheduleStateKey(row.pipelineId);
  const now = deps.now();
  const state = parseState(await kv.get(row.org, stateKey));
  if (state === undefined || state.version !== row.version) {
    const first = { next: nextRunTime(timing, now, deps.minuteMs), version: row.version };
    await kv.put(row.org, stateKey, JSON.stringify(first));
    return undefined;
  }
  if (state.next > now) return undefined;
  const runKeys = scheduleRunPrefix(row.pipelineId);
  const mine = `${deps.nodeId}/${randomUUID()}`;
  const claim = await kv.claim(row.org, `${runKeys}${state.next}`, mine, now, NEVER_STALE);
  if (claim.value !== mine) return undefined;
  const following = nextRunTime(timing, now, deps.minuteMs, state.next);
  await kv.put(row.org, stateKey, JSON.stringify({ next: following, version: row.version }));
  for (const key of await kv.list(row.org, runKeys))
    if (Number(key.slice(runKeys.length)) < state.next) await kv.delete(row.org, key);
  const delayMs = Math.max(0, source.delay ?? 0) * deps.minuteMs;
  const endUs = (state.next - delayMs) * 1000;
  const startUs = endUs - Math.max(1, source.trigger_condition.period) * deps.minuteMs * 1000;
  return executeRun(deps, row, pipeline, source, { startUs, endUs });
}

/** The source query over the window, the graph, then the destinations through ingest. */
export async function executeRun(
  deps: PipelineSchedulerDeps,
  row: Pick<StoredPipeline, 'org' | 'pipelineId'>,
  pipeline: Pipeline,
  source: ScheduledSource,
  window: { startUs: number; endUs: number },
): Promise<number> {
  const { search, ingest } = deps;
  if (search === undefined || ingest === undefined)
    throw new AppError('UNAVAILABLE', 'scheduled pipelines need a querier and an ingester');
  const query = source.query_condition;
  if (query.type !== 'sql' || query.sql.trim() === '')
    throw AppError.invalidArgument(`query_condition of type ${query.type} is not run (sql only)`);
  const org = row.org;
  const startAt = source.start_at ?? 0;
  if (startAt > window.endUs) return 0;
  const vrlFunctions = await deps.vrlFunctions?.(org);
  const compileOptions = vrlFunctions === undefined ? {} : { vrlFunctions };
  let rows = await readRows(search, org, source, {
    startUs: Math.max(window.startUs, startAt),
    endUs: window.endUs,
  });
  if (query.vrl_function != null && query.vrl_function !== '') {
    const vrl = decodeQueryFn(query.vrl_function) ?? query.vrl_function;
    const fn = await compileFunction({ source: vrl, transType: 0 }, compileOptions);
    rows = applyQueryFunction(fn, rows, { flattenLevel: deps.flattenLevel }).hits;
  }
  if (rows.length === 0) return 0;
  const executable = new ExecutablePipeline(pipeline, deps.flattenLevel);
  const functions = new Map<string, CompiledFunction>();
  for (const name of executable.functionNames()) {
    const fn = await deps.metaStore.functions.get(org, name);
    if (fn === undefined) continue; // the runner reports it per record
    functions.set(
      name,
      await compileFunction({ source: fn.function, transType: fn.transType }, compileOptions),
    );
  }
  const out = executable.run(rows, functionRunner(functions));
  if (out.functionErrors > 0)
    deps.logger.warn(
      { org, pipeline: row.pipelineId, errors: out.functionErrors, last: out.lastFunctionError },
      'scheduled pipeline: function errors (records went on unchanged)',
    );
  let stored = 0;
  for (const batch of out.destinations.values()) {
    const result = await ingest.ingest({
      org,
      stream: batch.stream,
      streamType: batch.type,
      format: 'json',
      body: Buffer.from(JSON.stringify(batch.records)),
    });
    for (const status of result.response?.status ?? []) {
      stored += status.successful;
      if (status.failed > 0)
        deps.logger.warn(
          { org, pipeline: row.pipelineId, stream: status.name, failed: status.failed },
          `scheduled pipeline: records not stored: ${status.error ?? ''}`,
        );
    }
  }
  return stored;
}

async function readRows(
  search: SearchService,
  org: string,
  source: ScheduledSource,
  window: { startUs: number; endUs: number },
): Promise<Array<Record<string, unknown>>> {
  const rows: Array<Record<string, unknown>> = [];
  while (rows.length < MAX_ROWS) {
    const answer = await search.search(org, source.stream_type, {
      sql: source.query_condition.sql,
      startTime: window.startUs,
      endTime: window.endUs,
      from: rows.length,
      size: PAGE,
    });
    const hits = Array.isArray(answer['hits'])
      ? (answer['hits'] as Array<Record<string, unknown>>)
      : [];
    rows.push(...hits);
    if (hits.length < PAGE) break;
  }
  return rows;
}
