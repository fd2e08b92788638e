import { Router } from 'express';
import { DOCUMENTED_ROUTES } from './documented-routes.js';
import { buildOpenApiDocument } from './openapi-document.js';

/**
 * `GET /api-doc/openapi.json` (no auth, as O2 serves it): the OpenAPI document generated from the
 * route schemas, built once on first request.
 */
export function openApiRoutes(version: string): Router {
  const router = Router();
  let document: string | undefined;
  router.get('/api-doc/openapi.json', (_req, res) => {
    document ??= JSON.stringify(
      buildOpenApiDocument(DOCUMENTED_ROUTES, { title: 'O2TS', version }),
    );
    res.type('application/json').send(document);
  });
  return router;
}
