import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express, { Router } from 'express';
import type { RequestHandler, Response } from 'express';

/** Where `pnpm install` / `pnpm build` put the built UI (packages/web/dist), if it is installed. */
export function defaultWebRoot(): string | undefined {
  try {
    const pkg = createRequire(import.meta.url).resolve('@o2/web/package.json');
    return join(dirname(pkg), 'dist');
  } catch {
    return undefined;
  }
}

const NOT_BUILT = {
  code: 404,
  message: 'The web UI is not built: run `pnpm install` (or `pnpm --filter @o2/web build`)',
};

/**
 * The built UI under `/web/` (as O2 serves it) and `/` → `/web/`. Hashed files under
 * `/web/assets/` are cached for a year; index.html is never cached, and answers every other
 * `/web/…` path so client routes (`/web/streams?…`) load the app. The build assumes the UI
 * lives at `/web/`; under `ZO_BASE_URI` index.html's asset URLs get the prefix.
 */
export function webUiRoutes(options: { root: string | undefined; base: string }): Router {
  const { root, base } = options;
  const router = Router();
  const home = `${base}/web/`;

  // The query survives (`/web?org_identifier=x` is a client route without its slash).
  const toHome: RequestHandler = (req, res) => {
    const query = req.originalUrl.indexOf('?');
    res.redirect(302, query < 0 ? home : `${home}${req.originalUrl.slice(query)}`);
  };
  router.get('/', toHome);
  router.get(/^\/web$/, toHome);
  if (root === undefined) {
    router.get(/^\/web\//, (_req, res) => {
      res.status(404).json(NOT_BUILT);
    });
    return router;
  }

  router.use(
    '/web/assets',
    express.static(join(root, 'assets'), {
      index: false,
      immutable: true,
      maxAge: '365d',
      fallthrough: true,
    }),
  );
  // A hashed asset that is not there is a stale page asking for an old build: 404, not the app.
  router.get(/^\/web\/assets\//, (_req, res) => {
    res.status(404).json({ code: 404, message: 'Not Found' });
  });

  const sendIndex = async (res: Response) => {
    let html: string;
    try {
      html = await readFile(join(root, 'index.html'), 'utf8');
    } catch {
      res.status(404).json(NOT_BUILT);
      return;
    }
    if (base !== '') html = html.replaceAll('"/web/', `"${base}/web/`);
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(html);
  };
  router.use(
    '/web',
    express.static(root, {
      index: false,
      setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache'),
    }),
  );
  router.get(/^\/web\//, (_req, res) => sendIndex(res));
  return router;
}
