import type { RequestHandler } from 'express';
import type { Config } from '@o2/config';

const ALLOWED_METHODS = 'HEAD, GET, POST, PUT, OPTIONS, DELETE, PATCH';
const ALLOWED_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'content-type',
  'content-encoding',
  'accept',
  'stream-name',
  'organization',
  'traceparent',
  'tracestate',
]);

/** The requested headers we allow (O2 allows any `x-openobserve-*`, so we echo those back). */
function allowedHeaders(requested: string | undefined): string {
  const names = (requested ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== '' && (ALLOWED_HEADERS.has(h) || h.startsWith('x-openobserve-')));
  return [...new Set([...ALLOWED_HEADERS, ...names])].join(', ');
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/**
 * O2's CORS rule: the origin of ZO_WEB_URL or one of ZO_CORS_ALLOWED_ORIGINS (any origin when
 * ZO_WEB_URL is empty), credentials allowed so the UI's cookie works across origins.
 */
export function createCors(config: Config): RequestHandler {
  const anyOrigin = config.ZO_WEB_URL === '';
  const allowed = new Set<string>();
  const web = originOf(config.ZO_WEB_URL);
  if (web !== undefined) allowed.add(web);
  for (const entry of config.ZO_CORS_ALLOWED_ORIGINS.split(',')) {
    const trimmed = entry.trim().replace(/\/+$/, '');
    if (trimmed !== '') allowed.add(originOf(trimmed) ?? trimmed);
  }

  return (req, res, next) => {
    const origin = req.headers.origin;
    const permitted = origin !== undefined && (anyOrigin || allowed.has(origin));
    if (origin !== undefined) res.vary('Origin');
    if (permitted) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
    }
    const preflight =
      req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    if (!preflight) {
      next();
      return;
    }
    if (permitted) {
      res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
      res.setHeader(
        'Access-Control-Allow-Headers',
        allowedHeaders(req.headers['access-control-request-headers']),
      );
      res.setHeader('Access-Control-Max-Age', '3600');
    }
    res.status(204).end();
  };
}
