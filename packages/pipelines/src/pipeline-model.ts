import { z } from 'zod';
import { STREAM_KINDS } from '@o2/domain';
import type { StreamKind } from '@o2/domain';
import { AppError } from '@o2/errors';

/**
 * O2's pipeline document (O2-CONTRACT §7) as one zod schema: what a create or update body may
 * hold, with O2's defaults filled in. Fields the UI keeps for itself (`position`, `style`,
 * `meta`, `io_type`, unknown extras) pass through untouched, so a document reads back as it was
 * written. `source` is derived from the first node by `validatePipeline`, as O2 does.
 */

const str = (max = 1024) => z.string({ error: 'must be a string' }).max(max);

/** A stream a node reads or writes: `stream_name` may hold `{field}` templates (destinations). */
const streamParams = z.looseObject({
  org_id: str(256).default(''),
  stream_name: str(512).min(1, { error: 'stream_name must not be empty' }),
  stream_type: z.enum(STREAM_KINDS, { error: `must be one of ${STREAM_KINDS.join(', ')}` }),
});

/** A scheduled pipeline's query: O2's DerivedStream (query and trigger conditions). */
const derivedStream = z.looseObject({
  org_id: str(256).default(''),
  stream_type: z.enum(STREAM_KINDS).default('logs'),
  query_condition: z
    .looseObject({
      type: z.enum(['custom', 'sql', 'promql']).default('sql'),
      sql: str(65536)
        .nullish()
        .transform((v) => v ?? ''),
      conditions: z.unknown().optional(),
      vrl_function: str(65536).nullish(),
    })
    .prefault({}),
  trigger_condition: z
    .looseObject({
      period: z.int().min(0).default(0),
      frequency: z.int().min(0).default(0),
      frequency_type: z.string().default('minutes'),
      cron: z.string().default(''),
    })
    .prefault({}),
  tz_offset: z.int().default(0),
  delay: z.int().nullish(),
  start_at: z.int().nullish(),
});

const functionParams = z.looseObject({
  name: str(256).default(''),
  after_flatten: z.boolean().default(false),
  num_args: z.int().min(0).default(0),
});

const conditionParams = z.looseObject({
  version: z.int().optional(),
  conditions: z.unknown(),
});

const nodeData = z.discriminatedUnion(
  'node_type',
  [
    streamParams.extend({ node_type: z.literal('stream') }),
    derivedStream.extend({ node_type: z.literal('query') }),
    functionParams.extend({ node_type: z.literal('function') }),
    conditionParams.extend({ node_type: z.literal('condition') }),
  ],
  { error: 'node_type must be one of stream, function, condition, query' },
);

const node = z.looseObject({
  id: str(256).min(1, { error: 'node id must not be empty' }),
  data: nodeData,
  position: z.looseObject({ x: z.number(), y: z.number() }).default({ x: 0, y: 0 }),
  io_type: z.enum(['input', 'output', 'default']).default('default'),
  meta: z.record(z.string(), z.unknown()).nullish(),
  style: z.unknown().optional(),
});

const edge = z.looseObject({
  id: str(600).default(''),
  source: str(256),
  target: str(256),
});

const realtimeSource = streamParams.extend({ source_type: z.literal('realtime') });
const scheduledSource = derivedStream.extend({ source_type: z.literal('scheduled') });

export const pipelineSchema = z.looseObject({
  pipeline_id: str(256).optional(),
  id: str(256).optional(),
  version: z.int().default(0),
  enabled: z.boolean().default(true),
  org: str(256).default(''),
  name: str(256)
    .trim()
    .min(1, { error: 'Pipeline name is required' })
    .refine((v) => !/[\\/:*?"<>|#%]/.test(v), {
      error: 'Pipeline name must not contain any of \\ / : * ? " < > | # %',
    }),
  description: str(4096).default(''),
  source: z.discriminatedUnion('source_type', [realtimeSource, scheduledSource]).optional(),
  nodes: z.array(node).max(256, { error: 'A pipeline may have at most 256 nodes' }),
  edges: z.array(edge).max(1024, { error: 'A pipeline may have at most 1024 edges' }),
});

export type PipelineInput = z.infer<typeof pipelineSchema>;
export type PipelineNode = z.infer<typeof node>;
export type PipelineEdge = z.infer<typeof edge>;
export type NodeData = PipelineNode['data'];
export type StreamNodeData = Extract<NodeData, { node_type: 'stream' }>;
export type FunctionNodeData = Extract<NodeData, { node_type: 'function' }>;
export type ConditionNodeData = Extract<NodeData, { node_type: 'condition' }>;
export type QueryNodeData = Extract<NodeData, { node_type: 'query' }>;
export type RealtimeSource = z.infer<typeof realtimeSource>;
export type ScheduledSource = z.infer<typeof scheduledSource>;
export type PipelineSource = RealtimeSource | ScheduledSource;

/** A validated pipeline: id and source filled in (what is stored and answered). */
export type Pipeline = PipelineInput & { pipeline_id: string; source: PipelineSource };

/** A stream a realtime pipeline reads from (what the ingester looks pipelines up by). */
export interface SourceStream {
  org: string;
  type: StreamKind;
  stream: string;
}

/** Parses a request body; INVALID_ARGUMENT (400) naming the first bad field. */
export function parsePipeline(body: unknown): PipelineInput {
  const parsed = pipelineSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue?.path.join('.') ?? '';
  const message = issue?.message ?? 'invalid pipeline';
  throw AppError.invalidArgument(path === '' ? message : `${path}: ${message}`);
}

/** The pipeline's own stored id, from either of O2's spellings. */
export function pipelineIdOf(input: PipelineInput): string | undefined {
  const id = input.pipeline_id ?? input.id;
  return id === undefined || id === '' ? undefined : id;
}
