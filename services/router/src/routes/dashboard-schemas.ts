import { z } from 'zod';
import { bodyObject, fields, optional } from '../http/parse-body.js';

/** Request bodies of the folder and dashboard routes (O2-CONTRACT §10, §11). */

const text = (max = 256) =>
  fields.string().max(max, { error: `must be at most ${max} characters` });

/** `POST/PUT /v2/{org}/folders/{type}[/{id}]`, `POST/PUT /{org}/folders[/{id}]`. */
export const folderBody = bodyObject({
  name: optional(text())
    .transform((v) => (v ?? '').trim())
    .refine((v) => v !== '', { error: 'Folder name cannot be empty' }),
  description: optional(text(4096)).transform((v) => v ?? ''),
});

const idList = (key: string) =>
  z
    .array(fields.string().min(1, { error: 'must not be empty' }), { error: 'must be a list' })
    .min(1, { error: `${key} must not be empty` })
    .max(1000, { error: 'must hold at most 1000 ids' });

/** `PATCH /{org}/dashboards/move`. */
export const moveBody = bodyObject({
  dashboard_ids: idList('dashboard_ids'),
  dst_folder_id: fields.string().min(1, { error: 'must not be empty' }),
});

/** `PUT /{org}/folders/dashboards/{id}` (the legacy single move). */
export const legacyMoveBody = bodyObject({
  from: optional(fields.string()).transform((v) => v ?? ''),
  to: optional(fields.string()).transform((v) => v ?? ''),
});

/** `DELETE /{org}/dashboards/bulk`. */
export const bulkDeleteBody = bodyObject({ ids: idList('ids') });

/** `POST /{org}/dashboards/{id}/panels`: the panel is checked by @o2/dashboards. */
export const addPanelBody = bodyObject({
  panel: z.unknown(),
  tab_id: optional(fields.string()),
});

const micros = () =>
  fields.integer('must be an integer (µs)').min(0, { error: 'must not be negative' });

/** One timed annotation as O2 sends it. */
export const annotationBody = bodyObject({
  start_time: micros(),
  end_time: optional(micros()),
  title: fields.string().min(1, { error: 'must not be empty' }).max(1024),
  text: optional(fields.string().max(65536)),
  tags: optional(z.array(text(), { error: 'must be a list' })).transform((v) => v ?? []),
  panels: z.array(fields.string(), { error: 'must be a list' }).min(1, {
    error: 'panels must not be empty',
  }),
}).refine((a) => a.end_time === undefined || a.end_time >= a.start_time, {
  error: 'end_time must not be before start_time',
});

/** `POST /{org}/dashboards/{id}/annotations`. */
export const createAnnotationsBody = bodyObject({
  timed_annotations: z
    .array(annotationBody, { error: 'must be a list' })
    .min(1, { error: 'timed_annotations must not be empty' })
    .max(1000, { error: 'must hold at most 1000 annotations' }),
});

/** `DELETE /{org}/dashboards/{id}/annotations`. */
export const deleteAnnotationsBody = bodyObject({ annotation_ids: idList('annotation_ids') });

/** `DELETE /{org}/dashboards/{id}/annotations/panels/{aid}`: a list of panel ids. */
export const panelIdsBody = z
  .array(fields.string(), { error: 'Request body must be a list of panel ids' })
  .min(1, { error: 'panels cannot be empty' });
