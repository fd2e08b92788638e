import { enrichmentFunctions } from '@o2/enrichment';
import type { CompileFunctionOptions } from '@o2/functions';
import type { RouteDeps } from './route-deps.js';

export type VrlFunctions = NonNullable<CompileFunctionOptions['vrlFunctions']>;

/**
 * The VRL functions an org's programs may call beyond the standard library: its enrichment-table
 * lookups (`get_enrichment_table_record`, `find_enrichment_table_records`) over the router's
 * cache; none without an object store. Another org's tables are never in the list.
 */
export async function orgVrlFunctions(deps: Pick<RouteDeps, 'enrichment'>, org: string) {
  if (deps.enrichment === undefined) return [];
  return enrichmentFunctions(await deps.enrichment.cache.tables(org));
}
