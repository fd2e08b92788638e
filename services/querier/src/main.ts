import { runRoleProcess } from '@o2/runtime';
import { createQuerier } from './app.js';

runRoleProcess({
  name: 'o2ts-querier',
  role: 'querier',
  env: process.env,
  cwd: process.cwd(),
  build: ({ config, logger, adapters }) => [
    createQuerier({
      config,
      logger,
      metaStore: adapters.metaStore,
      objectStore: adapters.objectStore,
    }),
  ],
});
