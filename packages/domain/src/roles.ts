/**
 * Roles as O2 names them. `root` is above every organization; the others are per organization.
 * O2's OSS build enforces only admin-or-above vs. the rest; editor/viewer/user are kept so the
 * UI and API accept the same words.
 */
export const USER_ROLES = ['root', 'admin', 'editor', 'viewer', 'user', 'service_account'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** Roles that may be given through the users API (root is created only at bootstrap). */
export const ASSIGNABLE_ROLES: readonly UserRole[] = [
  'admin',
  'editor',
  'viewer',
  'user',
  'service_account',
];

export function isUserRole(value: unknown): value is UserRole {
  return typeof value === 'string' && (USER_ROLES as readonly string[]).includes(value);
}

/** O2 accepts `member` from older clients as the plain `user` role. */
export function parseRole(value: unknown): UserRole | undefined {
  if (value === 'member') return 'user';
  return isUserRole(value) ? value : undefined;
}

/** Rank: lower is more powerful (O2's enum order). */
const RANK: Readonly<Record<UserRole, number>> = {
  root: 0,
  admin: 1,
  editor: 2,
  viewer: 3,
  user: 4,
  service_account: 5,
};

export function canManageUsers(role: UserRole): boolean {
  return RANK[role] <= RANK.admin;
}

export function outranks(a: UserRole, b: UserRole): boolean {
  return RANK[a] < RANK[b];
}
