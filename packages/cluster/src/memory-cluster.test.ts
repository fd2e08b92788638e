import { describeClusterContract } from './cluster.contract.js';
import { MemoryCluster } from './memory-cluster.js';
import { MemoryClusterHub } from './memory-cluster-hub.js';

describeClusterContract('MemoryCluster', ({ nodeTtlMs }) => {
  const hub = new MemoryClusterHub();
  return Promise.resolve({ connect: () => Promise.resolve(new MemoryCluster({ hub, nodeTtlMs })) });
});
