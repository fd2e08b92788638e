import { z } from 'zod';

/**
 * Folders and dashboards (O2-CONTRACT §10, §11). The v8 document itself is typed by
 * `@o2/dashboards`; here it is an object, as the wrapper carries it.
 */
export const folderSchema = z.object({
  folderId: z.string(),
  name: z.string(),
  description: z.string(),
});
export type Folder = z.infer<typeof folderSchema>;

/** `GET /api/v2/{org}/folders/{type}` and `GET /api/{org}/folders`. */
export const folderListSchema = z.object({ list: z.array(folderSchema) });
export type FolderList = z.infer<typeof folderListSchema>;

/** The stored wrapper: GET, POST and PUT `/api/{org}/dashboards[/{id}]`. */
export const dashboardWrapperSchema = z.object({
  v1: z.null(),
  v2: z.null(),
  v3: z.null(),
  v4: z.null(),
  v5: z.null(),
  v6: z.null(),
  v7: z.null(),
  v8: z.record(z.string(), z.unknown()),
  version: z.literal(8),
  /** Send it back as `?hash=` on the next write. */
  hash: z.string(),
  /** µs */
  updatedAt: z.number(),
});
export type DashboardWrapper = z.infer<typeof dashboardWrapperSchema>;

/** `GET /api/{org}/dashboards`. */
export const dashboardListSchema = z.object({
  dashboards: z.array(
    dashboardWrapperSchema.extend({
      folder_id: z.string(),
      folder_name: z.string(),
      dashboard_id: z.string(),
      title: z.string(),
      description: z.string(),
      role: z.string(),
      owner: z.string(),
      created: z.string(),
    }),
  ),
});
export type DashboardList = z.infer<typeof dashboardListSchema>;

/** Panel routes: POST answers `panel` and `tab_id` too, PUT and DELETE `panel_id`. */
export const panelEditSchema = z.object({
  hash: z.string(),
  panel_id: z.string().optional(),
  tab_id: z.string().optional(),
  panel: z.record(z.string(), z.unknown()).optional(),
});
export type PanelEdit = z.infer<typeof panelEditSchema>;
