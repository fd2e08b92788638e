export * from './alert-model.js';
export * from './alert-query.js';
export * from './conditions.js';
export * from './decisions.js';
export * from './destination-model.js';
export * from './schedule.js';
export * from './ssrf.js';
export * from './template.js';
