import type { DuckDBConnection } from '@duckdb/node-api';
import { findSource, planQuery } from './plan-query.js';
import type { PlanInput, QueryPlan } from './plan-query.js';
import { TextMemo } from './text-memo.js';

/** Stands in the memo for "this text's plan depends on the time range: look it up with it". */
const TIMED = Symbol('timed');

/** A plan as kept: its streams without their sources (file lists, in-memory tables). */
type KeptPlan = Omit<QueryPlan, 'streams'> & {
  streams: ReadonlyArray<Pick<QueryPlan['streams'][number], 'ref' | 'view'>>;
};

/**
 * What a plan is a function of, but the sources' data: the text and paging of the query, the
 * engine's defaults, and each source's name, type, schema and full-text keys. The time range
 * joins the key only for the plans that read it (`QueryPlan.readsTimeRange`).
 */
function planKey(input: PlanInput): string {
  return JSON.stringify([
    input.sql,
    input.from,
    input.size,
    input.trackTotalHits,
    input.defaultLimit,
    input.defaultFtsFields,
    input.dashboardPlaceholder ?? '',
    input.sources.map((s) => [
      s.name,
      s.type ?? '',
      s.schema.map((f) => `${f.name}:${f.type}`).join(','),
      s.settings?.full_text_search_keys ?? [],
    ]),
  ]);
}

/**
 * Plans per query text (the "prepared plans"): the same SQL over the same schemas is
 * planned once — parsing DuckDB's AST JSON, the rewrites, printing it back cost 0.15-0.8 ms of
 * the main thread per query, and dashboards, the logs page's refresh and alerts repeat their
 * texts. A hit is bound to the query's own sources (their files change with every query).
 * Failures are not kept.
 */
export class PlanMemo {
  private readonly memo = new TextMemo<KeptPlan | typeof TIMED>(500, 8_000_000);

  async plan(conn: DuckDBConnection, input: PlanInput): Promise<QueryPlan> {
    const key = planKey(input);
    const timedKey = (): string => `${key}\0${input.startTime}\0${input.endTime}`;
    let kept = this.memo.get(key);
    if (kept === TIMED) kept = this.memo.get(timedKey());
    const hit = kept !== undefined && kept !== TIMED ? bound(kept, input) : undefined;
    if (hit !== undefined) return hit;
    const plan = await planQuery(conn, input);
    // The kept ASTs (a top-n's probe) weigh a few times their text.
    const weight =
      4 * (plan.sql.length + (plan.countSql?.length ?? 0) + (plan.timeTopNProbe?.length ?? 0));
    const keep: KeptPlan = {
      ...plan,
      streams: plan.streams.map(({ ref, view }) => ({ ref, view })),
    };
    if (plan.readsTimeRange) {
      this.memo.set(key, TIMED);
      this.memo.set(timedKey(), keep, weight);
    } else {
      this.memo.set(key, keep, weight);
    }
    return plan;
  }
}

/**
 * A kept plan over the query's sources, which have the names, types and schemas of the ones it
 * was made over (they are its key); undefined if one is missing all the same (planned afresh).
 */
function bound(kept: KeptPlan, input: PlanInput): QueryPlan | undefined {
  const streams: QueryPlan['streams'] = [];
  for (const { ref, view } of kept.streams) {
    const source = findSource(ref, input.sources);
    if (source === undefined) return undefined;
    streams.push({ ref, view, source });
  }
  return { ...kept, streams };
}
