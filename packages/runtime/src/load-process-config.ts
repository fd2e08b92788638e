import { join } from 'node:path';
import { loadConfig, mergeEnv, readEnvFile } from '@o2/config';
import type { Config } from '@o2/config';
import { createLogger } from '@o2/logger';
import type { Logger } from '@o2/logger';

/**
 * Config and logger for a composition root: `.env` in the working directory under the real
 * environment, then one logger named after the process. Throws the config's one error listing
 * every problem (runMain prints it).
 */
export function loadProcessConfig(
  processName: string,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): { config: Config; logger: Logger } {
  const config = loadConfig(mergeEnv(readEnvFile(join(cwd, '.env')), env));
  const logger = createLogger({
    level: config.RUST_LOG,
    name: processName,
    base: { node: config.ZO_INSTANCE_NAME },
  });
  return { config, logger };
}
