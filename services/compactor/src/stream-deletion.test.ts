import { LocalObjectStore } from '@o2/storage';
import { describeStreamDeletion } from './test-support/stream-deletion-suite.js';

describeStreamDeletion('local disk', (dir) =>
  Promise.resolve(new LocalObjectStore(`${dir.path}/stream`)),
);
