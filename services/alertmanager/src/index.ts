export { ALERTMANAGER_LEASE, createAlertmanager } from './app.js';
export type { Alertmanager, AlertmanagerDeps } from './app.js';
