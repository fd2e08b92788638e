import { z } from 'zod';
import { STREAM_KINDS } from '@o2/domain';
import { AppError } from '@o2/errors';
import { parseConditions, parseOperator } from './conditions.js';
import { checkTimezone, parseCron } from './schedule.js';
import { offsetSeconds } from './time-windows.js';

/**
 * O2's alert (v2 API, O2-CONTRACT §10) as one zod schema: what a create or update body may hold,
 * with O2's defaults filled in. The stored document is this object as JSON; the server-owned
 * fields (`id`, `folder_id`, `last_*`, `updated_at`, `last_edited_by`) live beside it.
 */

const str = (max = 1024) => z.string({ error: 'must be a string' }).max(max);
const num = () => z.number({ error: 'must be a number' }).finite();
const minutes = () =>
  z.int({ error: 'must be an integer (minutes)' }).min(0, { error: 'must not be negative' });

const operatorField = z.string({ error: 'must be a string' }).transform((v, ctx) => {
  try {
    return parseOperator(v);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

const comparison = z.object({
  column: str(256),
  operator: operatorField,
  value: z.union([num(), str()]),
});

export const AGGREGATION_FUNCTIONS = [
  'avg',
  'min',
  'max',
  'sum',
  'count',
  'median',
  'p50',
  'p75',
  'p90',
  'p95',
  'p99',
] as const;
export type AggregationFunction = (typeof AGGREGATION_FUNCTIONS)[number];

const queryCondition = z.object({
  type: z.enum(['custom', 'sql', 'promql']).default('custom'),
  conditions: z.unknown().optional(),
  sql: str(65536)
    .nullish()
    .transform((v) => v ?? ''),
  promql: str(65536)
    .nullish()
    .transform((v) => v ?? ''),
  promql_condition: comparison.nullish().transform((v) => v ?? undefined),
  aggregation: z
    .object({
      group_by: z
        .array(str(256))
        .max(32)
        .nullish()
        .transform((v) => v ?? []),
      function: z.enum(AGGREGATION_FUNCTIONS),
      having: comparison,
    })
    .nullish()
    .transform((v) => v ?? undefined),
  vrl_function: str(65536)
    .nullish()
    .transform((v) => v ?? undefined),
  search_event_type: str(64)
    .nullish()
    .transform((v) => v ?? undefined),
  multi_time_range: z
    .array(z.object({ offSet: str(32) }).loose())
    .max(8)
    .nullish()
    .transform((v) => v ?? []),
});

const triggerCondition = z.object({
  period: minutes().default(10),
  operator: operatorField.default('>='),
  threshold: num().default(1),
  frequency: minutes().default(1),
  cron: str(256).default(''),
  frequency_type: z.enum(['minutes', 'cron']).default('minutes'),
  silence: minutes().default(10),
  timezone: str(64)
    .nullish()
    .transform((v) => v ?? 'UTC'),
  tolerance_in_secs: z
    .int()
    .min(0)
    .nullish()
    .transform((v) => v ?? 0),
  align_time: z.boolean().default(true),
});

const deduplication = z
  .object({
    enabled: z.boolean().default(false),
    fingerprint_fields: z.array(str(256)).max(32).default([]),
    time_window_minutes: minutes()
      .nullish()
      .transform((v) => v ?? undefined),
  })
  .loose();

/** Names may not hold `:`, `#`, `?`, `&`, `%`, `/` or quotes (O2's rule), nor be blank. */
export const ALERT_NAME_FORBIDDEN = /[:#?&%/"']/;

export const alertSchema = z.object({
  name: str(256)
    .transform((v) => v.trim())
    .refine((v) => v !== '', { error: 'Alert name is required' })
    .refine((v) => !ALERT_NAME_FORBIDDEN.test(v), {
      error: "Alert name cannot contain ':', '#', '?', '&', '%', '/', or quotes",
    }),
  stream_type: z.enum(STREAM_KINDS).default('logs'),
  stream_name: str(256).default(''),
  is_real_time: z.boolean().default(false),
  query_condition: queryCondition.prefault({}),
  trigger_condition: triggerCondition.prefault({}),
  destinations: z.array(str(256)).max(64).default([]),
  template: str(256)
    .nullish()
    .transform((v) => v ?? undefined),
  context_attributes: z
    .record(z.string(), z.string())
    .nullish()
    .transform((v) => v ?? {}),
  row_template: str(65536)
    .nullish()
    .transform((v) => v ?? ''),
  row_template_type: str(32)
    .nullish()
    .transform((v) => v ?? 'String'),
  description: str(4096)
    .nullish()
    .transform((v) => v ?? ''),
  enabled: z.boolean().default(true),
  tz_offset: z
    .int()
    .nullish()
    .transform((v) => v ?? 0),
  owner: str(256)
    .nullish()
    .transform((v) => v ?? undefined),
  deduplication: deduplication.nullish().transform((v) => v ?? undefined),
  creates_incident: z.boolean().default(false),
  priority: z
    .int()
    .min(1)
    .max(5)
    .nullish()
    .transform((v) => v ?? undefined),
  tags: z
    .array(str(128))
    .max(64)
    .nullish()
    .transform((v) => v ?? []),
});

export type AlertDefinition = z.output<typeof alertSchema>;

/**
 * The cross-field rules zod cannot say alone; throws INVALID_ARGUMENT naming the first problem.
 */
export function checkAlert(alert: AlertDefinition): void {
  const q = alert.query_condition;
  const t = alert.trigger_condition;
  const bad = (message: string) => {
    throw AppError.invalidArgument(message);
  };
  if (alert.stream_name.trim() === '') bad('Stream name is required');
  if (alert.destinations.length === 0) bad('Alert destinations is required');
  if (alert.is_real_time) {
    if (q.type !== 'custom') bad('Real-time alerts support custom conditions only');
  } else {
    if (q.type === 'sql' && q.sql.trim() === '') bad('Alert with SQL type must have a SQL query');
    if (q.type === 'promql' && q.promql.trim() === '')
      bad('Alert with PromQL type must have a PromQL query');
    if (q.type === 'promql' && q.promql_condition === undefined)
      bad('Alert with PromQL type must have a promql_condition');
    if (t.period < 1) bad('Alert period must be greater than 0');
    if (t.frequency_type === 'minutes' && t.frequency < 1)
      bad('Alert frequency must be greater than 0');
    if (t.frequency_type === 'cron' && t.cron.trim() === '') bad('Alert cron is required');
    if (t.frequency_type === 'cron') parseCron(t.cron, t.timezone);
    checkTimezone(t.timezone);
  }
  if (q.vrl_function !== undefined && q.vrl_function !== '')
    bad('VRL functions in alerts are not supported yet');
  // A bad offset is refused at save rather than failing every run.
  for (const range of q.multi_time_range) offsetSeconds(range.offSet);
  // Reading the tree refuses a malformed one now rather than at the first evaluation.
  parseConditions(q.conditions);
}

/** O2's `alert_type` in list answers. */
export function alertType(alert: AlertDefinition): 'scheduled' | 'realtime' {
  return alert.is_real_time ? 'realtime' : 'scheduled';
}
