import type { Condition } from '@o2/alerts';
import { matchesRecord } from '@o2/alerts';
import type { StreamKind } from '@o2/domain';
import { DEFAULT_FLATTEN_LEVEL, flattenRecord } from '@o2/schema';
import type { FlatRecord } from '@o2/schema';
import type { Pipeline, PipelineNode } from './pipeline-model.js';
import { parseStreamTemplate, resolveStreamTemplate } from './stream-template.js';
import type { StreamTemplate } from './stream-template.js';
import { conditionOf } from './validate.js';

/** What a function did to one record: the records it gives on (0, 1 or many), or its error. */
export type FunctionOutcome = { ok: true; records: unknown[] } | { ok: false; error: string };

/** Runs the org's functions by name (the functions engine, injected). */
export interface FunctionRunner {
  run(name: string, record: Record<string, unknown>): FunctionOutcome;
}

/** The records one destination stream receives from a batch. */
export interface DestinationBatch {
  type: StreamKind;
  stream: string;
  /** Flattened records (O2 flattens at the destination), in input order per branch. */
  records: FlatRecord[];
  /** Each record's index in the input batch. */
  indexes: number[];
}

export interface PipelineOutput {
  /** Keyed by `{type}/{stream}` (the resolved name for templated destinations). */
  destinations: Map<string, DestinationBatch>;
  /** Inputs that reached a destination but could not be stored there, with the reason. */
  failed: Map<number, string>;
  /** Function calls that failed: the record went on untransformed, as O2 does. */
  functionErrors: number;
  /** The last function error, for the log. */
  lastFunctionError?: string;
}

type StepBody =
  | { kind: 'source' }
  | { kind: 'function'; name: string; afterFlatten: boolean }
  | { kind: 'condition'; condition: Condition }
  | { kind: 'stream'; type: StreamKind; template: StreamTemplate };
type Step = StepBody & { next: number[] };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A copy of plain objects and arrays (other values are immutable or class instances). */
function cloneValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneValue);
  if (isObject(value) && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const key in value) out[key] = cloneValue(value[key]);
    return out;
  }
  return value;
}

function stepOf(node: PipelineNode, isSource: boolean): StepBody {
  const data = node.data;
  if (isSource) return { kind: 'source' };
  switch (data.node_type) {
    case 'function':
      return { kind: 'function', name: data.name, afterFlatten: data.after_flatten };
    case 'condition':
      return { kind: 'condition', condition: conditionOf(data) };
    case 'stream':
      return {
        kind: 'stream',
        type: data.stream_type,
        template: parseStreamTemplate(data.stream_name),
      };
    case 'query':
      return { kind: 'source' };
  }
}

/**
 * A validated pipeline made ready to run: nodes become steps indexed by position, so running a
 * record is array lookups and closure calls. A record walks the graph depth first from the
 * source: a function node replaces it by the function's output (none, one or many records), a
 * condition node passes it on only when it matches, a stream node (a leaf) collects it for
 * its stream. A node with several children gives each its own copy, so a record may reach
 * several destinations.
 *
 * O2's flattening rules hold: a record is flattened before a condition is evaluated, before a
 * function marked `after_flatten`, and at the destination; `flattenLevel` is the ingest level.
 */
export class ExecutablePipeline {
  private readonly steps: Step[];

  constructor(
    readonly pipeline: Pipeline,
    private readonly flattenLevel = DEFAULT_FLATTEN_LEVEL,
  ) {
    const index = new Map(pipeline.nodes.map((n, i) => [n.id, i]));
    this.steps = pipeline.nodes.map((n, i) => ({ ...stepOf(n, i === 0), next: [] }));
    for (const e of pipeline.edges) {
      const from = this.steps[index.get(e.source) ?? -1];
      const to = index.get(e.target);
      if (from !== undefined && to !== undefined && !from.next.includes(to)) from.next.push(to);
    }
  }

  /** Function names the pipeline calls (for the engine to have them ready). */
  functionNames(): string[] {
    const names = new Set<string>();
    for (const s of this.steps) if (s.kind === 'function') names.add(s.name);
    return [...names];
  }

  /** Runs a batch of records (as decoded, before flattening) through the graph. */
  run(records: readonly unknown[], runner: FunctionRunner): PipelineOutput {
    const out: PipelineOutput = { destinations: new Map(), failed: new Map(), functionErrors: 0 };
    for (let i = 0; i < records.length; i++) this.visit(0, records[i], false, i, runner, out);
    return out;
  }

  private flatten(value: unknown): FlatRecord {
    return flattenRecord(value, { maxLevel: this.flattenLevel });
  }

  private visit(
    at: number,
    value: unknown,
    flattened: boolean,
    index: number,
    runner: FunctionRunner,
    out: PipelineOutput,
  ): void {
    const step = this.steps[at] as Step;
    if (!isObject(value)) {
      out.failed.set(index, 'flatten value must be an object');
      return;
    }
    let record: Record<string, unknown> = value;
    let flat = flattened;
    switch (step.kind) {
      case 'source':
        break;
      case 'condition':
        if (!flat) {
          record = this.flatten(record);
          flat = true;
        }
        if (!matchesRecord(step.condition, record)) return;
        break;
      case 'function': {
        if (step.afterFlatten && !flat) {
          record = this.flatten(record);
          flat = true;
        }
        const result = runner.run(step.name, record);
        if (!result.ok) {
          out.functionErrors++;
          out.lastFunctionError = result.error;
          break; // O2 goes on with the record as it came in
        }
        // A function may give several records (O2's #ResultArray#) or none (dropped).
        for (const r of result.records) this.passOn(step, r, flat, index, runner, out);
        return;
      }
      case 'stream':
        this.collect(step, flat ? (record as FlatRecord) : this.flatten(record), index, out);
        return;
    }
    this.passOn(step, record, flat, index, runner, out);
  }

  private passOn(
    step: Step,
    record: unknown,
    flat: boolean,
    index: number,
    runner: FunctionRunner,
    out: PipelineOutput,
  ): void {
    const last = step.next.length - 1;
    // Copies are made before the original goes on (a function changes its record in place).
    const copies = step.next.map((_, i) =>
      i === last ? record : flat && isObject(record) ? { ...record } : cloneValue(record),
    );
    step.next.forEach((child, i) => this.visit(child, copies[i], flat, index, runner, out));
  }

  private collect(
    step: Extract<StepBody, { kind: 'stream' }>,
    record: FlatRecord,
    index: number,
    out: PipelineOutput,
  ): void {
    const stream = resolveStreamTemplate(step.template, record);
    if (stream === undefined) {
      const fields = step.template.fields.join(', ');
      out.failed.set(index, `stream name needs field(s) ${fields}, missing in the record`);
      return;
    }
    const key = `${step.type}/${stream}`;
    let batch = out.destinations.get(key);
    if (batch === undefined) {
      batch = { type: step.type, stream, records: [], indexes: [] };
      out.destinations.set(key, batch);
    }
    batch.records.push(record);
    batch.indexes.push(index);
  }
}
