import { z } from 'zod';
import { bodyObject, fields, optional } from '../http/parse-body.js';

/** Request bodies of the alert routes beside the alert itself (O2-CONTRACT §10). */

const list = (key: string) =>
  z
    .array(fields.string().min(1, { error: 'must not be empty' }), { error: 'must be a list' })
    .min(1, { error: `${key} must not be empty` })
    .max(1000, { error: 'must hold at most 1000 entries' });

/** `DELETE …/bulk` of destinations, templates and alerts: `{"ids":[…]}`. */
export const bulkNamesBody = bodyObject({ ids: list('ids') });

/** `PATCH /v2/{org}/alerts/move`. */
export const moveAlertsBody = bodyObject({
  alert_ids: list('alert_ids'),
  dst_folder_id: fields.string().min(1, { error: 'must not be empty' }),
});

/** `POST /v2/{org}/alerts/{id}/clone`: a new name and folder, both optional. */
export const cloneAlertBody = bodyObject({
  name: optional(fields.string().max(256)),
  folder_id: optional(fields.string().max(256)),
});
