import { createHash } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { AppError } from '@o2/errors';
import type { ShortUrlResponse } from '@o2/api-schemas';
import { orgContext } from '../auth/auth-context.js';
import { pathParam } from '../http/path-param.js';
import { bodyObject, parseBody } from '../http/parse-body.js';
import type { RouteDeps } from './route-deps.js';
import { requireOrg } from './user-fields.js';

const MAX_URL_LENGTH = 8192;
const SHORT_ID = /^[0-9a-f]{16}$/;

/** O2's `ShortenUrlRequest`; only http(s) URLs, so a short link never runs script. */
export const shortenBody = bodyObject({
  original_url: z
    .string({ error: 'original_url must be a string' })
    .max(MAX_URL_LENGTH, { error: 'original_url is too long' })
    .refine(
      (value) => {
        try {
          const url = new URL(value);
          return url.protocol === 'http:' || url.protocol === 'https:';
        } catch {
          return false;
        }
      },
      { error: 'original_url must be an http or https URL' },
    ),
});

/** The id of a URL: 16 hex digits of its SHA-256, so shortening the same URL twice agrees. */
function shortIdOf(url: string, attempt: number): string {
  return createHash('sha256')
    .update(`${String(attempt)}:${url}`)
    .digest('hex')
    .slice(0, 16);
}

/**
 * O2's short URLs, per org: `POST /api/{org}/short` stores a URL and answers the short link;
 * `GET /api/{org}/short/{id}` redirects to it (302). Members of the org may use both.
 */
export function shortUrlsRoutes(deps: RouteDeps): Router {
  const { metaStore, config } = deps;
  const router = Router();
  const base = `${config.ZO_WEB_URL.replace(/\/+$/, '')}${config.ZO_BASE_URI.replace(/\/+$/, '')}`;

  router.post('/:org/short', ...deps.jsonBody, async (req, res) => {
    const { org } = orgContext(req);
    await requireOrg(metaStore, org);
    const { original_url: url } = parseBody(shortenBody, req.body);
    // A clash of 64-bit ids is astronomically rare; the next attempt's id resolves it anyway.
    for (let attempt = 0; attempt < 4; attempt += 1) {
      const id = shortIdOf(url, attempt);
      if ((await metaStore.shortUrls.put(org, id, url)) === url) {
        const body: ShortUrlResponse = {
          short_url: `${base}/api/${encodeURIComponent(org)}/short/${id}`,
        };
        res.json(body);
        return;
      }
    }
    throw AppError.internal('no free short URL id');
  });

  router.get('/:org/short/:id', async (req, res) => {
    const { org } = orgContext(req);
    const id = pathParam(req.params, 'id');
    const url = SHORT_ID.test(id) ? await metaStore.shortUrls.get(org, id) : undefined;
    if (url === undefined) throw AppError.notFound('Short URL not found');
    res.redirect(302, url);
  });

  return router;
}
