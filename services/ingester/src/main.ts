import { runRoleProcess } from '@o2/runtime';
import { createIngester } from './app.js';

runRoleProcess({
  name: 'o2ts-ingester',
  role: 'ingester',
  env: process.env,
  cwd: process.cwd(),
  build: ({ config, logger, adapters }) => [
    createIngester({
      config,
      logger,
      metaStore: adapters.metaStore,
      objectStore: adapters.objectStore,
      cluster: adapters.cluster,
    }),
  ],
});
