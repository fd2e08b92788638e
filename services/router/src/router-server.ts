import type { Config } from '@o2/config';
import type { Lifecycle } from '@o2/lifecycle';
import type { Logger } from '@o2/logger';
import type { ListeningRouter, RouterApp } from './app.js';

/**
 * The router's HTTP listener as a lifecycle part: listens on ZO_HTTP_ADDR:ZO_HTTP_PORT (all
 * interfaces when the address is empty, [::] with ZO_HTTP_IPV6_ENABLED) and, on stop, stops
 * accepting and waits for in-flight requests. It is the last part to start and the first to
 * stop, so no request arrives before the roles are ready or after they begin shutting down.
 */
export function routerServer(router: RouterApp, config: Config, logger: Logger): Lifecycle {
  let listening: ListeningRouter | undefined;
  const host =
    config.ZO_HTTP_ADDR !== ''
      ? config.ZO_HTTP_ADDR
      : config.ZO_HTTP_IPV6_ENABLED
        ? '::'
        : '0.0.0.0';
  return {
    name: 'http',
    start: async () => {
      listening = await router.listen(config.ZO_HTTP_PORT, host);
      logger.info({ host, port: listening.port }, 'http listening');
    },
    stop: async () => {
      await listening?.close();
      listening = undefined;
    },
  };
}
