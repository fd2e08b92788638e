import { Router } from 'express';
import type { Request, Response } from 'express';
import { AppError, isAppError } from '@o2/errors';
import { DEFAULT_FOLDER_ID, FOLDER_TYPES } from '@o2/metastore';
import type { FolderType, MetaStore } from '@o2/metastore';
import { orgContext } from '../auth/auth-context.js';
import { parseBody } from '../http/parse-body.js';
import { pathParam } from '../http/path-param.js';
import { folderBody } from './dashboard-schemas.js';
import { folderJson, newId, requireDashboardWriter } from './dashboard-view.js';
import type { RouteDeps } from './route-deps.js';

function folderType(req: Request): FolderType {
  const value = pathParam(req.params, 'type');
  if (!(FOLDER_TYPES as readonly string[]).includes(value))
    throw AppError.invalidArgument(
      `Invalid folder type: ${value} (expected one of ${FOLDER_TYPES.join(', ')})`,
    );
  return value as FolderType;
}

/** O2 answers a folder name clash with 400, not 409. */
async function nameClashIs400<T>(operation: Promise<T>): Promise<T> {
  try {
    return await operation;
  } catch (error) {
    if (isAppError(error) && error.code === 'ALREADY_EXISTS')
      throw AppError.invalidArgument(error.message);
    throw error;
  }
}

/** The folder operations, shared by the v2 routes (any type) and the legacy ones (dashboards). */
function folderHandlers(metaStore: MetaStore, now: () => number) {
  const scope = async (req: Request, type: FolderType) => {
    const { org, role } = orgContext(req);
    await metaStore.folders.ensureDefault(org, type);
    return { org, role };
  };
  return {
    list: async (req: Request, res: Response, type: FolderType) => {
      const { org } = await scope(req, type);
      res.json({ list: (await metaStore.folders.list(org, type)).map(folderJson) });
    },
    create: async (req: Request, res: Response, type: FolderType) => {
      const { org, role } = await scope(req, type);
      requireDashboardWriter(role);
      const { name, description } = parseBody(folderBody, req.body);
      const folder = await nameClashIs400(
        metaStore.folders.create({ org, type, folderId: newId(now()), name, description }),
      );
      res.json(folderJson(folder));
    },
    get: async (req: Request, res: Response, type: FolderType) => {
      const { org } = await scope(req, type);
      const folder = await metaStore.folders.get(org, type, pathParam(req.params, 'id'));
      if (folder === undefined) throw AppError.notFound('Folder not found');
      res.json(folderJson(folder));
    },
    getByName: async (req: Request, res: Response, type: FolderType) => {
      const { org } = await scope(req, type);
      const folder = await metaStore.folders.getByName(org, type, pathParam(req.params, 'name'));
      if (folder === undefined) throw AppError.notFound('Folder not found');
      res.json(folderJson(folder));
    },
    update: async (req: Request, res: Response, type: FolderType) => {
      const { org, role } = await scope(req, type);
      requireDashboardWriter(role);
      const id = pathParam(req.params, 'id');
      if (id === DEFAULT_FOLDER_ID) throw AppError.invalidArgument("Can't update default folder");
      const patch = parseBody(folderBody, req.body);
      await nameClashIs400(metaStore.folders.update(org, type, id, patch));
      res.type('text/plain').send('Folder updated');
    },
    delete: async (req: Request, res: Response, type: FolderType) => {
      const { org, role } = await scope(req, type);
      requireDashboardWriter(role);
      const id = pathParam(req.params, 'id');
      if (id === DEFAULT_FOLDER_ID) throw AppError.invalidArgument("Can't delete default folder");
      await metaStore.folders.delete(org, type, id);
      res.type('text/plain').send('Folder deleted');
    },
  };
}

/**
 * Folders (O2-CONTRACT §10): `/v2/{org}/folders/{dashboards|alerts|reports}[/{id}|/name/{name}]`
 * and the older dashboards-only `/{org}/folders[/{id}|/name/{name}]` the O2 UI still calls. The
 * `default` folder of each type exists as soon as anyone looks, and cannot be renamed or
 * deleted; a folder that still holds dashboards is not deleted (400, O2's message).
 */
export function foldersRoutes(deps: RouteDeps): Router {
  const router = Router();
  const h = folderHandlers(deps.metaStore, deps.now);
  const v2 = '/v2/:org/folders/:type';
  router.get(v2, (req, res) => h.list(req, res, folderType(req)));
  router.post(v2, ...deps.jsonBody, (req, res) => h.create(req, res, folderType(req)));
  router.get(`${v2}/name/:name`, (req, res) => h.getByName(req, res, folderType(req)));
  router.get(`${v2}/:id`, (req, res) => h.get(req, res, folderType(req)));
  router.put(`${v2}/:id`, ...deps.jsonBody, (req, res) => h.update(req, res, folderType(req)));
  router.delete(`${v2}/:id`, (req, res) => h.delete(req, res, folderType(req)));

  const legacy = '/:org/folders';
  router.get(legacy, (req, res) => h.list(req, res, 'dashboards'));
  router.post(legacy, ...deps.jsonBody, (req, res) => h.create(req, res, 'dashboards'));
  router.get(`${legacy}/name/:name`, (req, res) => h.getByName(req, res, 'dashboards'));
  router.get(`${legacy}/:id`, (req, res) => h.get(req, res, 'dashboards'));
  router.put(`${legacy}/:id`, ...deps.jsonBody, (req, res) => h.update(req, res, 'dashboards'));
  router.delete(`${legacy}/:id`, (req, res) => h.delete(req, res, 'dashboards'));
  return router;
}
