import { describe, expect, it } from 'vitest';
import { parseApiPath } from '../http/api-path.js';
import { isIngestionRoute } from './ingestion-routes.js';
import { newPasscode } from './passcode.js';
import { hashPassword, verifyPassword } from './password-hash.js';
import {
  decodeAuthCookie,
  encodeAuthCookie,
  newSessionId,
  readCookie,
  sessionMatchesPassword,
} from './session-cookie.js';

describe('password hashing', () => {
  it('stores a self-describing scrypt string that verifies only the right password', async () => {
    const hash = await hashPassword('Complexpass#123');
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(hash).not.toContain('Complexpass');
    expect(await verifyPassword('Complexpass#123', hash)).toBe(true);
    expect(await verifyPassword('Complexpass#124', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('draws a new salt every time', async () => {
    const [a, b] = await Promise.all([hashPassword('Same#Pass1'), hashPassword('Same#Pass1')]);
    expect(a).not.toBe(b);
  });

  it('never matches a malformed or tampered hash', async () => {
    expect(await verifyPassword('x', 'plain')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$99999999$8$1$AAAA$AAAA')).toBe(false);
    expect(await verifyPassword('x', 'bcrypt$1$2$3$4$5')).toBe(false);
  });
});

describe('ingestion routes', () => {
  it('accepts the ingest endpoints clients post to', () => {
    const post = (path: string) => isIngestionRoute('POST', path.split('/'));
    expect(post('default/_json')).toBe(true);
    expect(post('k8s_logs/_multi')).toBe(true);
    expect(post('_bulk')).toBe(true);
    expect(post('_hec')).toBe(true);
    expect(post('loki/api/v1/push')).toBe(true);
    expect(post('v1/logs')).toBe(true);
    expect(post('v1/metrics')).toBe(true);
    expect(post('v1/traces')).toBe(true);
    expect(post('traces')).toBe(true);
    expect(post('prometheus/api/v1/write')).toBe(true);
    expect(post('ingest/metrics/_json')).toBe(true);
    expect(isIngestionRoute('GET', ['_license'])).toBe(true);
  });

  it('accepts the Elasticsearch handshake probes shippers make before _bulk', () => {
    expect(isIngestionRoute('GET', [])).toBe(true);
    expect(isIngestionRoute('HEAD', [])).toBe(true);
    expect(isIngestionRoute('PUT', ['_ilm', 'policy', 'filebeat'])).toBe(true);
    expect(isIngestionRoute('GET', ['_ingest', 'pipeline', 'p'])).toBe(true);
    expect(isIngestionRoute('POST', [])).toBe(false);
    expect(isIngestionRoute('DELETE', ['_ilm', 'policy', 'filebeat'])).toBe(false);
    expect(isIngestionRoute('GET', ['streams'])).toBe(false);
  });

  it('refuses management and search routes even when a stream is named like an endpoint', () => {
    expect(isIngestionRoute('GET', ['users'])).toBe(false);
    expect(isIngestionRoute('DELETE', ['streams', 'logs'])).toBe(false);
    expect(isIngestionRoute('GET', ['logs', '_values'])).toBe(false);
    expect(isIngestionRoute('GET', ['traces', 'traces', 'latest'])).toBe(false);
    expect(isIngestionRoute('GET', ['default', '_json'])).toBe(false);
    expect(isIngestionRoute('POST', ['_search'])).toBe(false);
  });
});

describe('api paths', () => {
  it('finds the org segment, including under /v2', () => {
    expect(parseApiPath('/default/users')).toEqual({ org: 'default', rest: ['users'] });
    expect(parseApiPath('/organizations')).toEqual({ rest: ['organizations'] });
    expect(parseApiPath('/v2/acme/alerts')).toEqual({ org: 'acme', rest: ['alerts'] });
    expect(parseApiPath('/default/users/a%40b.com')).toEqual({
      org: 'default',
      rest: ['users', 'a@b.com'],
    });
    expect(parseApiPath('/')).toEqual({ rest: [] });
  });
});

describe('session cookie', () => {
  it("round-trips O2's auth_tokens shape without a password in it", () => {
    const id = newSessionId('scrypt$hash');
    const value = encodeAuthCookie(id);
    const json = JSON.parse(Buffer.from(value, 'base64').toString('utf8')) as unknown;
    expect(json).toEqual({ access_token: `session ${id}`, refresh_token: '' });
    expect(decodeAuthCookie(value)).toBe(id);
    expect(decodeAuthCookie('not base64 json')).toBeUndefined();
    const basic = Buffer.from(JSON.stringify({ access_token: 'Basic abc' })).toString('base64');
    expect(decodeAuthCookie(basic)).toBeUndefined();
  });

  it('binds a session to the password hash it was opened with', () => {
    const id = newSessionId('scrypt$old');
    expect(sessionMatchesPassword(id, 'scrypt$old')).toBe(true);
    expect(sessionMatchesPassword(id, 'scrypt$new')).toBe(false);
  });

  it('reads one cookie out of a Cookie header', () => {
    expect(readCookie('a=1; auth_tokens=xyz==; b=2', 'auth_tokens')).toBe('xyz==');
    expect(readCookie('a=1', 'auth_tokens')).toBeUndefined();
    expect(readCookie(undefined, 'auth_tokens')).toBeUndefined();
  });
});

describe('passcodes', () => {
  it('are long, URL-safe and unique', () => {
    const a = newPasscode();
    expect(a).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(newPasscode()).not.toBe(a);
  });
});
