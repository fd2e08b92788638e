import type { Config } from '@o2/config';
import type { Lifecycle } from '@o2/lifecycle';
import type { Logger } from '@o2/logger';

export interface IngesterDeps {
  config: Config;
  logger: Logger;
}

export type Ingester = Lifecycle;

/**
 * The ingester role. So far it only takes part in the process lifecycle; its node is registered
 * with the `ingester` role by the composition root, so peers can already find it. The
 * ingest pipeline (WAL, memtables, Parquet upload) arrives with
 * its own issue and plugs in here.
 */
export function createIngester(deps: IngesterDeps): Ingester {
  const logger = deps.logger.child({ module: 'ingester' });
  return {
    name: 'ingester',
    start: () => {
      logger.info('ingester role started');
      return Promise.resolve();
    },
    stop: () => {
      logger.info('ingester role stopped');
      return Promise.resolve();
    },
  };
}
