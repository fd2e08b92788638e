import { runRoleProcess } from '@o2/runtime';
import { bootstrapRoot } from './bootstrap-root.js';
import { createRouter } from './app.js';
import { routerServer } from './router-server.js';

runRoleProcess({
  name: 'o2ts-router',
  role: 'router',
  env: process.env,
  cwd: process.cwd(),
  build: async ({ config, logger, adapters }) => {
    await bootstrapRoot({ metaStore: adapters.metaStore, config, logger });
    const router = createRouter({ config, logger, metaStore: adapters.metaStore });
    return [routerServer(router, config, logger)];
  },
});
