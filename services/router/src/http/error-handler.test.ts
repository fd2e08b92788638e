import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, makeDbDir, startRouter } from '../test-support/start-router.js';
import type { StartedRouter } from '../test-support/start-router.js';

const INTERNALS = /Maximum call stack|TypeError|RangeError|\bstack\b| at \/|at file:|node:internal/;

describe('error handler: no JS error text in a response body', () => {
  let dir: { path: string; remove(): Promise<void> };
  let o2: StartedRouter;

  beforeAll(async () => {
    dir = await makeDbDir();
    o2 = await startRouter(dir.path, {
      extend: ({ open }) => {
        // Routes that fail the way a bug would: a sync throw and an async rejection.
        open.get('/boom/range', () => {
          throw new RangeError('Maximum call stack size exceeded');
        });
        open.get('/boom/type', async () => {
          await Promise.resolve();
          const value = undefined as unknown as { field: string };
          return value.field;
        });
      },
    });
  });
  afterAll(async () => {
    await o2?.close();
    await dir?.remove();
  });

  it.each(['/boom/range', '/boom/type'])(
    '%s is a generic 500; the log keeps the detail',
    async (path) => {
      const res = await call(o2.url, path);
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ code: 500, message: 'Internal Server Error' });
      expect(res.text).not.toMatch(INTERNALS);
      const logged = o2.logs.filter(
        (line) => line.includes('request failed') && line.includes(path),
      );
      expect(logged.join('\n')).toMatch(/RangeError|TypeError/);
    },
  );
});
