import { z } from 'zod';

/** One member of an org as `GET /api/{org}/users` lists it; `created_at` in µs. */
export const orgUserSchema = z.object({
  email: z.string(),
  first_name: z.string(),
  last_name: z.string(),
  role: z.string(),
  is_external: z.boolean(),
  created_at: z.number(),
});
export type OrgUser = z.infer<typeof orgUserSchema>;
export const orgUserListSchema = z.object({ data: z.array(orgUserSchema) });
export type OrgUserList = z.infer<typeof orgUserListSchema>;

/** `GET /api/{org}/users/roles`. */
export const roleListSchema = z.array(z.object({ label: z.string(), value: z.string() }));
export type RoleList = z.infer<typeof roleListSchema>;

/** The `{code, message}` acknowledgement of user and stream writes. */
export const ackSchema = z.object({ code: z.number(), message: z.string() });
export type Ack = z.infer<typeof ackSchema>;
