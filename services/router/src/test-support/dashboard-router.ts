import { orgWithUser } from './dashboard-fixtures.js';
import { makeDbDir, startRouter } from './start-router.js';
import type { StartedRouter } from './start-router.js';

/** A router on its own SQLite database, with the users the dashboard and folder tests act as. */
export interface DashboardRouter {
  o2: StartedRouter;
  /** `dev@acme.io`, role `user` in org `acme`. */
  member: string;
  /** `view@acme.io`, role `viewer` in org `acme`. */
  viewer: string;
  /** `x@other.io`, admin of org `other` only: for the no-cross-org checks. */
  outsider: string;
  close(): Promise<void>;
}

export async function startDashboardRouter(): Promise<DashboardRouter> {
  const dir = await makeDbDir();
  const o2 = await startRouter(dir.path);
  const member = await orgWithUser(o2.url, 'acme', { email: 'dev@acme.io', role: 'user' });
  const viewer = await orgWithUser(o2.url, 'acme', { email: 'view@acme.io', role: 'viewer' });
  const outsider = await orgWithUser(o2.url, 'other', { email: 'x@other.io', role: 'admin' });
  return {
    o2,
    member,
    viewer,
    outsider,
    close: async () => {
      await o2.close();
      await dir.remove();
    },
  };
}
