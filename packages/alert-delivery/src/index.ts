export { checkHost, guardedLookup, ssrfPolicy } from './guarded-lookup.js';
export { sendHttp } from './http-send.js';
export type { HttpSend, HttpSent } from './http-send.js';
export { deliver, renderNotification } from './notify.js';
export type { DeliveryOptions, Notification } from './notify.js';
