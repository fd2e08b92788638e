import { PIPELINE_CHANGED_TOPIC, subscribeEvent } from '@o2/domain';
import type { EventBus, EventLogger } from '@o2/domain';
import { compileFunction } from '@o2/functions';
import type { CompiledFunction, CompileFunctionOptions } from '@o2/functions';
import type { MetaStore } from '@o2/metastore';
import { ExecutablePipeline, functionRunner } from '@o2/pipelines';
import type { FunctionRunner, Pipeline } from '@o2/pipelines';

/** How long an org's pipelines are used before they are read again (events cut it short). */
const RELOAD_AFTER_MS = 10_000;
const MAX_CACHED_ORGS = 10_000;

/** A realtime pipeline ready to run, with the org's functions it calls compiled. */
export interface RunnablePipeline {
  pipeline: ExecutablePipeline;
  runner: FunctionRunner;
}

/** An org's realtime pipelines. */
export interface OrgPipelines {
  /** By source `{type}/{stream}`. */
  bySource: ReadonlyMap<string, RunnablePipeline>;
  /** Source stream names per stream type (what the decoder diverts). */
  sources: ReadonlyMap<string, ReadonlySet<string>>;
}

interface Cached extends OrgPipelines {
  at: number;
}

/**
 * The enabled realtime pipelines of each org, as the ingester runs them: read from the metastore
 * on first use, compiled (pipeline graph and functions) once, and read again after
 * `pipeline.changed` for the org or RELOAD_AFTER_MS. A pipeline that no longer compiles (its
 * function was changed to bad code) is left out and logged, so the stream is stored unchanged
 * rather than refused.
 */
export class RealtimePipelines {
  private readonly orgs = new Map<string, Cached>();
  private readonly loading = new Map<string, Promise<Cached>>();
  /** Bumped by every change event: a load that began before it is not cached. */
  private generation = 0;

  constructor(
    private readonly metaStore: MetaStore,
    private readonly options: {
      now: () => number;
      logger: EventLogger & { error(fields: object, message: string): void };
      flattenLevel: number;
      /**
       * The VRL functions an org's programs may call beyond the standard library (its
       * enrichment-table lookups), read once per load: a table changed since is seen at the
       * next reload (`RELOAD_AFTER_MS`).
       */
      vrlFunctions?: (org: string) => Promise<CompileFunctionOptions['vrlFunctions']>;
    },
  ) {}

  /** Listens for changes made through any router. */
  watch(events: EventBus): Promise<{ unsubscribe(): Promise<void> }> {
    return subscribeEvent(events, PIPELINE_CHANGED_TOPIC, ({ org }) => this.forget(org), {
      logger: this.options.logger,
    });
  }

  forget(org: string): void {
    this.generation++;
    this.orgs.delete(org);
  }

  /** The org's realtime pipelines by source `{type}/{stream}` (empty for most orgs). */
  async forOrg(org: string): Promise<OrgPipelines> {
    const cached = this.orgs.get(org);
    if (cached !== undefined && this.options.now() - cached.at < RELOAD_AFTER_MS) return cached;
    let pending = this.loading.get(org);
    if (pending === undefined) {
      pending = this.load(org).finally(() => this.loading.delete(org));
      this.loading.set(org, pending);
    }
    if (cached === undefined) return pending;
    // A reload that fails (metastore briefly away) keeps the pipelines already in use.
    return pending.catch((err: unknown) => {
      this.options.logger.warn({ err, org }, 'pipelines not reloaded; the loaded ones stay');
      return cached;
    });
  }

  private async load(org: string): Promise<Cached> {
    const at = this.options.now();
    const generation = this.generation;
    const stored = (await this.metaStore.pipelines.list(org, { sourceType: 'realtime' })).filter(
      (p) => p.enabled,
    );
    const bySource = new Map<string, RunnablePipeline>();
    const sources = new Map<string, Set<string>>();
    const vrlFunctions = stored.length === 0 ? undefined : await this.options.vrlFunctions?.(org);
    for (const row of stored) {
      try {
        const pipeline = new ExecutablePipeline(
          JSON.parse(row.data) as Pipeline,
          this.options.flattenLevel,
        );
        const functions = new Map<string, CompiledFunction>();
        for (const name of pipeline.functionNames()) {
          const fn = await this.metaStore.functions.get(org, name);
          if (fn === undefined) continue; // the runner reports it per record
          functions.set(
            name,
            await compileFunction(
              { source: fn.function, transType: fn.transType },
              vrlFunctions === undefined ? {} : { vrlFunctions },
            ),
          );
        }
        bySource.set(`${row.streamType}/${row.streamName}`, {
          pipeline,
          runner: functionRunner(functions),
        });
        let names = sources.get(row.streamType);
        if (names === undefined) sources.set(row.streamType, (names = new Set()));
        names.add(row.streamName);
      } catch (err) {
        this.options.logger.error(
          { err, org, pipeline: row.pipelineId, name: row.name },
          'pipeline left out: it does not compile; its source stream is stored unchanged',
        );
      }
    }
    const entry = { at, bySource, sources };
    if (generation !== this.generation) return entry;
    if (this.orgs.size >= MAX_CACHED_ORGS) this.orgs.clear();
    this.orgs.set(org, entry);
    return entry;
  }
}
