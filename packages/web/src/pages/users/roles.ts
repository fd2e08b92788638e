/** The roles O2TS assigns (UI-SPEC §11): admin and member (stored as O2's `user`). */
export const ASSIGNABLE_ROLES = [
  { value: 'admin', label: 'Admin' },
  { value: 'user', label: 'Member' },
] as const;

export function roleLabel(role: string): string {
  if (role === 'root') return 'Root';
  return ASSIGNABLE_ROLES.find((r) => r.value === role)?.label ?? role;
}

/** Who may manage users (the router's rule): org admins and root. */
export function canManageUsers(role: string | undefined): boolean {
  return role === 'admin' || role === 'root';
}
