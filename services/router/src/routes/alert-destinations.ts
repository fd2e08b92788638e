import { Router } from 'express';
import type { Request, Response } from 'express';
import { AppError } from '@o2/errors';
import {
  DESTINATION_MODULES,
  PREBUILT_TEMPLATES,
  alertPlaceholders,
  destinationProblem,
  destinationSchema,
  parseDestinationUrl,
  templateSchema,
} from '@o2/alerts';
import type { DestinationDefinition, DestinationModule, TemplateDefinition } from '@o2/alerts';
import { checkHost, deliver, renderNotification, smtpConfig, ssrfPolicy } from '@o2/alert-delivery';
import type { MetaStore, NamedDocument } from '@o2/metastore';
import { orgContext } from '../auth/auth-context.js';
import { parseBody } from '../http/parse-body.js';
import { pathParam } from '../http/path-param.js';
import { requireAlertWriter, sampleFacts } from './alert-view.js';
import { bulkNamesBody } from './alert-schemas.js';
import type { RouteDeps } from './route-deps.js';

const NOTIFY_TIMEOUT_MS = 10_000;

function moduleOf(req: Request): DestinationModule {
  const raw = req.query['module'];
  if (raw === undefined || raw === '') return 'alert';
  if (typeof raw === 'string' && (DESTINATION_MODULES as readonly string[]).includes(raw))
    return raw as DestinationModule;
  throw AppError.invalidArgument('module must be alert or pipeline');
}

const destinationJson = (doc: NamedDocument) => ({
  ...(JSON.parse(doc.data) as DestinationDefinition),
  module: doc.kind,
});

const templateJson = (doc: NamedDocument) => ({
  ...(JSON.parse(doc.data) as TemplateDefinition),
  isPrebuilt: false,
});

const prebuiltJson = (t: (typeof PREBUILT_TEMPLATES)[number]) => ({
  ...t,
  isDefault: false,
  isPrebuilt: true,
});

/** The org's template of this name, else the system one; undefined when neither exists. */
export async function findTemplate(
  store: MetaStore,
  org: string,
  name: string,
): Promise<TemplateDefinition | undefined> {
  const doc = await store.alertTemplates.get(org, name);
  if (doc !== undefined) return JSON.parse(doc.data) as TemplateDefinition;
  const prebuilt = PREBUILT_TEMPLATES.find((t) => t.name === name);
  return prebuilt === undefined ? undefined : { ...prebuilt, isDefault: false };
}

/**
 * Destinations and templates (O2-CONTRACT §10): `/api/{org}/alerts/destinations[…]` and
 * `/api/{org}/alerts/templates[…]`. A destination URL is refused when its host is (or resolves
 * to) a loopback, private or link-local address the SSRF settings do not allow; the same check
 * runs again on every send. Viewers read; other members write.
 */
export function alertDestinationsRoutes(deps: RouteDeps): Router {
  const router = Router();
  const store = deps.metaStore;
  const policy = ssrfPolicy(deps.config);
  const smtp = smtpConfig(deps.config);

  const checkDestination = async (
    org: string,
    d: DestinationDefinition,
    module: DestinationModule,
  ) => {
    const problem = destinationProblem(d, module);
    if (problem !== undefined) throw AppError.invalidArgument(problem);
    if (d.template !== '' && (await findTemplate(store, org, d.template)) === undefined)
      throw AppError.invalidArgument(`Template not found: ${d.template}`);
    if (d.type === 'http') await checkHost(parseDestinationUrl(d.url).hostname, policy);
  };

  const testSend = async (res: Response, org: string, d: DestinationDefinition) => {
    await checkDestination(org, d, 'alert');
    const template = (await findTemplate(store, org, d.template)) as TemplateDefinition;
    try {
      const sent = await deliver(
        { destination: d, template, values: alertPlaceholders(sampleFacts(org, deps.now())) },
        { policy, smtp, timeoutMs: NOTIFY_TIMEOUT_MS },
      );
      res.json({
        code: 200,
        message: 'Test notification sent',
        status: sent.status,
        response: sent.body,
      });
    } catch (error) {
      throw AppError.invalidArgument(`Test notification failed: ${(error as Error).message}`);
    }
  };

  const base = '/:org/alerts/destinations';
  router.get(`${base}/prebuilt`, (_req, res) => {
    res.json([
      {
        id: 'slack',
        name: 'Slack',
        type: 'http',
        method: 'post',
        template: 'system-prebuilt-slack',
      },
      {
        id: 'msteams',
        name: 'Microsoft Teams',
        type: 'http',
        method: 'post',
        template: 'system-prebuilt-teams',
      },
      {
        id: 'webhook',
        name: 'Webhook',
        type: 'http',
        method: 'post',
        template: 'system-prebuilt-webhook',
      },
    ]);
  });
  router.get(base, async (req, res) => {
    const { org } = orgContext(req);
    const module = req.query['module'] === undefined ? undefined : moduleOf(req);
    res.json((await store.alertDestinations.list(org, module)).map(destinationJson));
  });
  router.post(base, ...deps.jsonBody, async (req, res) => {
    const { org, role } = orgContext(req);
    requireAlertWriter(role);
    const module = moduleOf(req);
    const d = parseBody(destinationSchema, req.body);
    await checkDestination(org, d, module);
    await store.alertDestinations.create({
      org,
      name: d.name,
      kind: module,
      data: JSON.stringify(d),
    });
    res.json({ code: 200, message: 'Destination saved', name: d.name });
  });
  router.post(`${base}/test`, ...deps.jsonBody, async (req, res) => {
    const { org, role } = orgContext(req);
    requireAlertWriter(role);
    await testSend(res, org, parseBody(destinationSchema, req.body));
  });
  router.delete(`${base}/bulk`, ...deps.jsonBody, async (req, res) => {
    const { org, role } = orgContext(req);
    requireAlertWriter(role);
    const { ids } = parseBody(bulkNamesBody, req.body);
    const used = await destinationsInUse(store, org);
    const free = ids.filter((n) => !used.has(n));
    const deleted = await store.alertDestinations.delete(org, free);
    res.json({
      successful: deleted,
      unsuccessful: ids.filter((n) => !deleted.includes(n)),
      err: null,
    });
  });
  router.get(`${base}/:name`, async (req, res) => {
    const { org } = orgContext(req);
    const doc = await store.alertDestinations.get(org, pathParam(req.params, 'name'));
    if (doc === undefined) throw AppError.notFound('Destination not found');
    res.json(destinationJson(doc));
  });
  router.post(`${base}/:name/test_send`, async (req, res) => {
    const { org, role } = orgContext(req);
    requireAlertWriter(role);
    const doc = await store.alertDestinations.get(org, pathParam(req.params, 'name'));
    if (doc === undefined) throw AppError.notFound('Destination not found');
    await testSend(res, org, JSON.parse(doc.data) as DestinationDefinition);
  });
  router.put(`${base}/:name`, ...deps.jsonBody, async (req, res) => {
    const { org, role } = orgContext(req);
    requireAlertWriter(role);
    const name = pathParam(req.params, 'name');
    const module = moduleOf(req);
    const d = { ...parseBody(destinationSchema, { ...(req.body as object), name }), name };
    await checkDestination(org, d, module);
    await store.alertDestinations.update(org, name, module, JSON.stringify(d));
    res.json({ code: 200, message: 'Destination updated', name });
  });
  router.delete(`${base}/:name`, async (req, res) => {
    const { org, role } = orgContext(req);
    requireAlertWriter(role);
    const name = pathParam(req.params, 'name');
    const user = (await destinationsInUse(store, org)).get(name);
    if (user !== undefined)
      throw new AppError('CONFLICT', `Destination is currently used by alert: ${user}`);
    if ((await store.alertDestinations.delete(org, [name])).length === 0)
      throw AppError.notFound('Destination not found');
    res.json({ code: 200, message: 'Destination deleted' });
  });

  const tbase = '/:org/alerts/templates';
  router.get(`${tbase}/system/prebuilt`, (_req, res) => {
    res.json(PREBUILT_TEMPLATES.map(prebuiltJson));
  });
  router.get(tbase, async (req, res) => {
    const { org } = orgContext(req);
    res.json((await store.alertTemplates.list(org)).map(templateJson));
  });
  router.post(tbase, ...deps.jsonBody, async (req, res) => {
    const { org, role } = orgContext(req);
    requireAlertWriter(role);
    const t = parseBody(templateSchema, req.body);
    if (PREBUILT_TEMPLATES.some((p) => p.name === t.name))
      throw AppError.invalidArgument('Template name is reserved for a system template');
    await store.alertTemplates.create({ org, name: t.name, kind: t.type, data: JSON.stringify(t) });
    res.json({ code: 200, message: 'Template saved', name: t.name });
  });
  router.post(`${tbase}/preview`, ...deps.jsonBody, (req, res) => {
    orgContext(req);
    const t = parseBody(templateSchema, { name: 'preview', ...(req.body as object) });
    const values = alertPlaceholders(sampleFacts(orgContext(req).org, deps.now()));
    const destination = { type: t.type } as DestinationDefinition;
    res.json(renderNotification({ destination, template: t, values }));
  });
  router.delete(`${tbase}/bulk`, ...deps.jsonBody, async (req, res) => {
    const { org, role } = orgContext(req);
    requireAlertWriter(role);
    const { ids } = parseBody(bulkNamesBody, req.body);
    const used = await templatesInUse(store, org);
    const deleted = await store.alertTemplates.delete(
      org,
      ids.filter((n) => !used.has(n)),
    );
    res.json({
      successful: deleted,
      unsuccessful: ids.filter((n) => !deleted.includes(n)),
      err: null,
    });
  });
  router.get(`${tbase}/:name`, async (req, res) => {
    const { org } = orgContext(req);
    const name = pathParam(req.params, 'name');
    const doc = await store.alertTemplates.get(org, name);
    const prebuilt = PREBUILT_TEMPLATES.find((p) => p.name === name);
    if (doc !== undefined) res.json(templateJson(doc));
    else if (prebuilt !== undefined) res.json(prebuiltJson(prebuilt));
    else throw AppError.notFound('Template not found');
  });
  router.put(`${tbase}/:name`, ...deps.jsonBody, async (req, res) => {
    const { org, role } = orgContext(req);
    requireAlertWriter(role);
    const name = pathParam(req.params, 'name');
    const t = { ...parseBody(templateSchema, { ...(req.body as object), name }), name };
    await store.alertTemplates.update(org, name, t.type, JSON.stringify(t));
    res.json({ code: 200, message: 'Template updated', name });
  });
  router.delete(`${tbase}/:name`, async (req, res) => {
    const { org, role } = orgContext(req);
    requireAlertWriter(role);
    const name = pathParam(req.params, 'name');
    const user = (await templatesInUse(store, org)).get(name);
    if (user !== undefined) throw new AppError('CONFLICT', `Template is in use: ${user}`);
    if ((await store.alertTemplates.delete(org, [name])).length === 0)
      throw AppError.notFound('Template not found');
    res.json({ code: 200, message: 'Template deleted' });
  });
  return router;
}

/** Destination name → the first alert sending to it. */
async function destinationsInUse(store: MetaStore, org: string): Promise<Map<string, string>> {
  const used = new Map<string, string>();
  for (const a of await store.alerts.list(org)) {
    const def = JSON.parse(a.data) as { destinations?: string[] };
    for (const d of def.destinations ?? []) if (!used.has(d)) used.set(d, a.name);
  }
  return used;
}

/** Template name → the first destination or alert using it. */
async function templatesInUse(store: MetaStore, org: string): Promise<Map<string, string>> {
  const used = new Map<string, string>();
  for (const d of await store.alertDestinations.list(org)) {
    const t = (JSON.parse(d.data) as DestinationDefinition).template;
    if (t !== '' && !used.has(t)) used.set(t, `destination ${d.name}`);
  }
  for (const a of await store.alerts.list(org)) {
    const t = (JSON.parse(a.data) as { template?: string }).template;
    if (t !== undefined && t !== '' && !used.has(t)) used.set(t, `alert ${a.name}`);
  }
  return used;
}
