export { checkHost, guardedLookup, ssrfPolicy } from './guarded-lookup.js';
export { sendHttp } from './http-send.js';
export type { HttpSend, HttpSent } from './http-send.js';
export { deliver, renderNotification } from './notify.js';
export type { DeliveryOptions, Notification } from './notify.js';
export { newEntryId, notifyAlert, notifySatisfied } from './alert-notifier.js';
export type { AlertNotice, NotifyDeps } from './alert-notifier.js';
export { realTimeAlerts } from './real-time.js';
export type { RealTimeAlerts } from './real-time.js';
