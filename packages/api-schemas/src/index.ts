export * from './server-config.js';
export * from './org.js';
export * from './streams.js';
export * from './users.js';
export * from './search.js';
export * from './dashboards.js';
export * from './prometheus.js';
