import { call, rootAuth } from './start-router.js';

export interface SeedMember {
  email: string;
  password: string;
  role: string;
}

/**
 * As root: creates `org` unless it is `default`, then adds each member with its role. Throws
 * naming the first call that did not answer 200, so a broken setup fails loudly.
 */
export async function seedMembers(
  url: string,
  org: string,
  members: readonly SeedMember[],
): Promise<void> {
  const auth = rootAuth();
  const steps: [string, Promise<{ status: number; text: string }>][] = [];
  if (org !== 'default') {
    const made = await call(url, '/api/organizations', {
      auth,
      json: { name: org, identifier: org },
    });
    if (made.status !== 200) throw new Error(`creating org ${org}: ${made.text}`);
  }
  for (const member of members)
    steps.push([
      member.email,
      call(url, `/api/${encodeURIComponent(org)}/users`, { auth, json: member }),
    ]);
  for (const [email, step] of steps) {
    const res = await step;
    if (res.status !== 200) throw new Error(`adding ${email} to ${org}: ${res.text}`);
  }
}
