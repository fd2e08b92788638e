import { runRoleProcess } from '@o2/runtime';
import { createCompactor } from './app.js';

runRoleProcess({
  name: 'o2ts-compactor',
  role: 'compactor',
  env: process.env,
  cwd: process.cwd(),
  build: ({ config, logger, adapters, node, registry }) => [
    createCompactor({
      config,
      logger,
      cluster: adapters.cluster,
      metaStore: adapters.metaStore,
      objectStore: adapters.objectStore,
      nodeId: node.id,
      registry,
    }),
  ],
});
