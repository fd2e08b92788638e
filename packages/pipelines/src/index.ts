export * from './pipeline-model.js';
export * from './validate.js';
export * from './stream-template.js';
export * from './execute.js';
export * from './function-runner.js';
export * from './schedule-keys.js';
