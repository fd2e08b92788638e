import { runRoleProcess } from '@o2/runtime';
import { createAlertmanager } from './app.js';

runRoleProcess({
  name: 'o2ts-alertmanager',
  role: 'alertmanager',
  env: process.env,
  cwd: process.cwd(),
  build: ({ config, logger, adapters, node, registry }) => [
    createAlertmanager({
      ...{ config, logger, cluster: adapters.cluster, metaStore: adapters.metaStore, registry },
      nodeId: node.id,
    }),
  ],
});
