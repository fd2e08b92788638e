import { Router } from 'express';
import type { Request } from 'express';
import { AppError } from '@o2/errors';
import type { FunctionDefinition } from '@o2/domain';
import { compileFunction } from '@o2/functions';
import type { MetaStore } from '@o2/metastore';
import { orgContext } from '../auth/auth-context.js';
import { parseBody } from '../http/parse-body.js';
import { pathParam } from '../http/path-param.js';
import { requireAlertWriter } from './alert-view.js';
import { bulkDelete, bulkDeleteBody } from './bulk-delete.js';
import {
  checkFunctionName,
  definitionOf,
  functionBody,
  functionTestBody,
} from './function-schemas.js';
import { announcePipelineChange } from './pipelines.js';
import type { RouteDeps } from './route-deps.js';
import { orgVrlFunctions } from './org-vrl-functions.js';
import type { VrlFunctions } from './org-vrl-functions.js';

/** A pipeline that uses a function, as `GET /functions/{name}` lists it. */
export interface FunctionUser {
  id: string;
  name: string;
}

/**
 * Which pipelines of the org use the function (`RouteDeps.functionDependencies`, wired by the
 * composition root once pipelines exist); until then nothing does.
 */
export type FunctionDependencies = (org: string, name: string) => Promise<FunctionUser[]>;

const noDependencies: FunctionDependencies = () => Promise.resolve([]);

/** Compiles the source so a function that cannot run is never saved (400 with the reason). */
async function checkCompiles(
  fn: Pick<FunctionDefinition, 'function' | 'transType'>,
  vrlFunctions: VrlFunctions,
) {
  await compileFunction({ source: fn.function, transType: fn.transType }, { vrlFunctions });
}

async function create(store: MetaStore, org: string, fn: FunctionDefinition) {
  try {
    await store.functions.create(org, fn);
  } catch (error) {
    // O2 answers a duplicate name with a 400.
    if (error instanceof AppError && error.code === 'ALREADY_EXISTS')
      throw AppError.invalidArgument(`Function with name ${fn.name} already exists`);
    throw error;
  }
}

/**
 * O2's Functions API (O2-CONTRACT §7): `/api/{org}/functions[/{name}|/bulk|/test]`. Members
 * read; viewers may not write. Every source is compiled before it is saved; JavaScript runs in
 * the @o2/functions sandbox, in every org (O2 dropped its `_meta`-only rule).
 */
export function functionsRoutes(deps: RouteDeps): Router {
  const router = Router();
  const store = deps.metaStore;
  const dependencies = deps.functionDependencies ?? noDependencies;
  const writer = (req: Request) => {
    const { org, role } = orgContext(req);
    requireAlertWriter(role);
    return org;
  };
  const remove = async (org: string, name: string) => {
    const users = await dependencies(org, name);
    if (users.length > 0)
      throw new AppError(
        'CONFLICT',
        `Function ${name} is used by pipelines: ${users.map((u) => u.name).join(', ')}`,
      );
    if (!(await store.functions.delete(org, name))) throw AppError.notFound('Function not found');
  };

  router.get('/:org/functions', async (req, res) => {
    const { org } = orgContext(req);
    const list = await store.functions.list(org);
    res.json({
      list: list.map(({ org: _org, createdAt: _c, updatedAt: _u, ...fn }) => fn),
    });
  });

  router.post('/:org/functions', ...deps.jsonBody, async (req, res) => {
    const org = writer(req);
    const fn = definitionOf(parseBody(functionBody, req.body));
    await checkCompiles(fn, await orgVrlFunctions(deps, org));
    await create(store, org, fn);
    res.json({ code: 200, message: 'Function saved successfully' });
  });

  router.post('/:org/functions/test', ...deps.jsonBody, async (req, res) => {
    const org = writer(req);
    const body = parseBody(functionTestBody, req.body);
    const fn = await compileFunction(
      { source: body.function, transType: body.trans_type },
      { vrlFunctions: await orgVrlFunctions(deps, org) },
    );
    const results = body.events.map((event) => {
      const out = fn.run(event);
      if (out.ok) return { message: '', event: out.value };
      return { message: out.error, event: out.aborted ? null : event };
    });
    res.json({ results });
  });

  router.delete('/:org/functions/bulk', ...deps.jsonBody, async (req, res) => {
    const org = writer(req);
    const { ids } = parseBody(bulkDeleteBody, req.body);
    res.json(await bulkDelete(ids, (name) => remove(org, name)));
  });

  router.get('/:org/functions/:name', async (req, res) => {
    const { org } = orgContext(req);
    const name = checkFunctionName(pathParam(req.params, 'name'));
    if ((await store.functions.get(org, name)) === undefined)
      throw AppError.notFound('Function not found');
    res.json({ list: await dependencies(org, name) });
  });

  router.put('/:org/functions/:name', ...deps.jsonBody, async (req, res) => {
    const org = writer(req);
    const name = checkFunctionName(pathParam(req.params, 'name'));
    const fn = definitionOf(parseBody(functionBody, { ...(req.body as object), name }));
    await checkCompiles(fn, await orgVrlFunctions(deps, org));
    await store.functions.update(org, { ...fn, name });
    await announcePipelineChange(deps, org); // pipelines calling it are compiled again
    res.json({ code: 200, message: 'Function updated successfully' });
  });

  router.delete('/:org/functions/:name', async (req, res) => {
    const org = writer(req);
    await remove(org, checkFunctionName(pathParam(req.params, 'name')));
    res.json({ code: 200, message: 'Function deleted' });
  });

  return router;
}
