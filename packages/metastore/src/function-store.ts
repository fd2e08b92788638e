import type { FunctionDefinition, StoredFunction } from '@o2/domain';

/**
 * The functions part of the MetaStore contract (O2-CONTRACT §7): an org's saved VRL and
 * JavaScript functions by name. The record type is @o2/domain's.
 */
export type { FunctionDefinition, StoredFunction };

export interface FunctionRepository {
  /** The org's functions, sorted by name (bytewise). */
  list(org: string): Promise<StoredFunction[]>;
  get(org: string, name: string): Promise<StoredFunction | undefined>;
  /** ALREADY_EXISTS when the org already has a function of that name. */
  create(org: string, fn: FunctionDefinition): Promise<StoredFunction>;
  /** Replaces the definition of `fn.name` (keeps createdAt). NOT_FOUND when missing. */
  update(org: string, fn: FunctionDefinition): Promise<StoredFunction>;
  /** False when there was no such function. */
  delete(org: string, name: string): Promise<boolean>;
}
