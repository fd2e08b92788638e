import { Router } from 'express';
import { normalizeEmail } from '@o2/domain';
import { parseBody } from '../http/parse-body.js';
import {
  AUTH_COOKIE,
  authCookieHeader,
  clearedAuthCookieHeader,
  decodeAuthCookie,
  newSessionId,
  readCookie,
} from '../auth/session-cookie.js';
import type { RouteDeps } from './route-deps.js';
import { loginBody } from './users-schemas.js';

/**
 * `POST /auth/login` opens a session and sets O2's `auth_tokens` cookie; `GET /config/logout`
 * deletes the session and clears the cookie. Unlike O2, the cookie carries a random session id,
 * never the password.
 */
export function loginRoutes(deps: RouteDeps): Router {
  const { metaStore, config } = deps;
  const router = Router();

  router.post('/auth/login', ...deps.jsonBody, async (req, res) => {
    const body = parseBody(loginBody, req.body);
    const email = normalizeEmail(body.name ?? '');
    const password = body.password ?? '';
    const user = email === '' ? undefined : await metaStore.users.get(email);
    if (!(await deps.passwords.check(user, password)) || user === undefined) {
      res.status(401).json({ status: false, message: 'Invalid credentials' });
      return;
    }
    const now = deps.now();
    await metaStore.sessions.deleteExpired(now);
    const id = newSessionId(user.passwordHash);
    await metaStore.sessions.create({
      id,
      email: user.email,
      createdAt: now,
      expiresAt: now + config.ZO_COOKIE_MAX_AGE * 1000,
    });
    res.setHeader('Set-Cookie', authCookieHeader(config, id));
    res.json({ status: true, message: '' });
  });

  router.get('/config/logout', async (req, res) => {
    const cookie = readCookie(req.headers.cookie, AUTH_COOKIE);
    const id = cookie === undefined ? undefined : decodeAuthCookie(cookie);
    if (id !== undefined) await metaStore.sessions.delete(id);
    res.setHeader('Set-Cookie', clearedAuthCookieHeader(config));
    res.json({ status: true, message: '' });
  });

  return router;
}
