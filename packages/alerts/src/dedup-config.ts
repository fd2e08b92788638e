import { z } from 'zod';
import { AppError } from '@o2/errors';

/**
 * The org-wide deduplication settings O2 clients read and write at
 * `/api/{org}/alerts/deduplication/{config,semantic-groups}`, kept in the org's kv store under
 * keys the public KV API cannot reach. Only `time_window_minutes` takes part in our dedup
 * decision (the default window of alerts that set none); cross-alert dedup
 * (`alert_dedup_enabled`, `alert_fingerprint_groups`) and the semantic groups are stored and
 * served only.
 */
export const DEDUP_CONFIG_KEY = 'alerts/deduplication/config';
export const SEMANTIC_GROUPS_KEY = 'alerts/deduplication/semantic-groups';

const name = z.string({ error: 'must be a string' }).trim().min(1).max(256);

export const dedupConfigSchema = z
  .object({
    enabled: z.boolean({ error: 'must be a boolean' }).default(false),
    alert_dedup_enabled: z.boolean({ error: 'must be a boolean' }).default(false),
    alert_fingerprint_groups: z.array(name).max(32).default([]),
    time_window_minutes: z
      .int({ error: 'must be an integer (minutes)' })
      .min(1, { error: 'must be positive' })
      .max(525_600)
      .nullish()
      .transform((v) => v ?? undefined),
    upgrade_window_minutes: z.int().min(0).max(525_600).default(30),
  })
  .refine((c) => !(c.enabled && c.alert_dedup_enabled && c.alert_fingerprint_groups.length === 0), {
    error: 'alert_fingerprint_groups is required when alert_dedup_enabled is true',
  });
export type DedupConfig = z.output<typeof dedupConfigSchema>;

const semanticGroup = z.object({
  id: z
    .string({ error: 'must be a string' })
    .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, { error: 'must be lowercase letters, digits, - or _' }),
  display: name,
  group: name.nullish().transform((v) => v ?? undefined),
  fields: z.array(name).min(1, { error: 'must name at least one field' }).max(64),
  normalize: z.boolean({ error: 'must be a boolean' }).default(false),
});
export const semanticGroupsSchema = z
  .array(semanticGroup, { error: 'must be an array of semantic groups' })
  .max(256)
  .refine((groups) => new Set(groups.map((g) => g.id)).size === groups.length, {
    error: 'semantic group ids must be unique',
  });
export type SemanticGroup = z.output<typeof semanticGroup>;

/** What GET answers before an org saved any groups (O2 answers its presets too). */
export const DEFAULT_SEMANTIC_GROUPS: readonly SemanticGroup[] = [
  {
    id: 'host',
    display: 'Host',
    group: 'Common',
    fields: ['host', 'hostname', 'node'],
    normalize: true,
  },
  {
    id: 'service',
    display: 'Service',
    group: 'Common',
    fields: ['service', 'service_name', 'app'],
    normalize: true,
  },
];

/** The default org config (dedup off, O2's 30-minute upgrade window). */
export const DEFAULT_DEDUP_CONFIG: DedupConfig = dedupConfigSchema.parse({});

/** Reads a body with `schema`; a bad one is INVALID_ARGUMENT naming the first problem. */
export function parseDedupBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const at = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw AppError.invalidArgument(`${at}${issue.message}`);
}

/** A stored config (written by us, so valid), or undefined when absent or unreadable. */
export function readDedupConfig(stored: string | undefined): DedupConfig | undefined {
  if (stored === undefined) return undefined;
  try {
    const parsed = dedupConfigSchema.safeParse(JSON.parse(stored));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The dedup window of an alert in alert minutes: its own `time_window_minutes`, else the org
 * default when the org config is enabled and sets one, else the alert's period.
 */
export function dedupWindowMinutes(
  alert: {
    deduplication?: { time_window_minutes?: number };
    trigger_condition: { period: number };
  },
  org: DedupConfig | undefined,
): number {
  const own = alert.deduplication?.time_window_minutes;
  if (own !== undefined) return own;
  if (org?.enabled === true && org.time_window_minutes !== undefined)
    return org.time_window_minutes;
  return alert.trigger_condition.period;
}
