import type { Config } from '@o2/config';
import type { Lifecycle } from '@o2/lifecycle';
import type { Logger } from '@o2/logger';

export interface QuerierDeps {
  config: Config;
  logger: Logger;
}

export type Querier = Lifecycle;

/**
 * The querier role. So far it only takes part in the process lifecycle; its node is registered
 * with the `querier` role by the composition root, so peers can already find it. The
 * search engine (DuckDB over Parquet plus hot data) arrives with
 * its own issue and plugs in here.
 */
export function createQuerier(deps: QuerierDeps): Querier {
  const logger = deps.logger.child({ module: 'querier' });
  return {
    name: 'querier',
    start: () => {
      logger.info('querier role started');
      return Promise.resolve();
    },
    stop: () => {
      logger.info('querier role stopped');
      return Promise.resolve();
    },
  };
}
