import type { StreamType } from './stream-types.js';

/**
 * O2's saved functions ("Transform", O2-CONTRACT §7): a VRL or JavaScript program an org keeps
 * by name, used by pipelines, ingest and queries. The one definition of the record; the
 * metastore stores it, the routes speak it (camelCase, as O2's JSON does).
 */

/** 0 = VRL, 1 = JavaScript (O2's `transType`). */
export const FUNCTION_TRANS_TYPES = [0, 1] as const;

export type FunctionTransType = (typeof FUNCTION_TRANS_TYPES)[number];

export function isFunctionTransType(value: unknown): value is FunctionTransType {
  return value === 0 || value === 1;
}

/** A stream a function is attached to (O2's legacy stream association, kept as given). */
export interface FunctionStreamOrder {
  stream: string;
  order: number;
  streamType: StreamType;
  isRemoved: boolean;
  applyBeforeFlattening: boolean;
}

/** A function as O2's API shows it. */
export interface FunctionDefinition {
  name: string;
  /** The program's source text. */
  function: string;
  /** O2's parameter list, `row` for record functions. */
  params: string;
  numArgs: number;
  transType: FunctionTransType;
  streams?: FunctionStreamOrder[];
}

/** A function as the metastore keeps it: the definition, its org and times (ms). */
export interface StoredFunction extends FunctionDefinition {
  org: string;
  createdAt: number;
  updatedAt: number;
}
