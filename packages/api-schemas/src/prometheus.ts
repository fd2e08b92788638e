import { z } from 'zod';

/**
 * The Prometheus HTTP API under `/api/{org}/prometheus/api/v1/` (O2-CONTRACT §8.5), in
 * Prometheus's envelope rather than O2's.
 */
export const promSampleSchema = z.tuple([z.number(), z.string()]);

export const promQueryResultSchema = z.discriminatedUnion('resultType', [
  z.object({
    resultType: z.literal('matrix'),
    result: z.array(
      z.object({ metric: z.record(z.string(), z.string()), values: z.array(promSampleSchema) }),
    ),
  }),
  z.object({
    resultType: z.literal('vector'),
    result: z.array(
      z.object({ metric: z.record(z.string(), z.string()), value: promSampleSchema }),
    ),
  }),
  z.object({ resultType: z.literal('scalar'), result: promSampleSchema }),
  z.object({ resultType: z.literal('string'), result: promSampleSchema }),
]);
export type PromQueryResult = z.infer<typeof promQueryResultSchema>;

/** `{status:"success",data}`; errors are `{status:"error",errorType,error}` with a 4xx/5xx. */
export const promEnvelope = <S extends z.ZodType>(data: S) =>
  z.object({ status: z.literal('success'), data, warnings: z.array(z.string()).optional() });

export interface PromEnvelope<T> {
  status: 'success';
  data: T;
  warnings?: string[];
}

/** `metadata`: per metric family, its type, help and unit. */
export const promMetadataSchema = z.record(
  z.string(),
  z.array(z.object({ type: z.string(), help: z.string(), unit: z.string() })),
);
export type PromMetadata = z.infer<typeof promMetadataSchema>;

/** `labels` and `label/{name}/values`. */
export const promNamesSchema = z.array(z.string());
