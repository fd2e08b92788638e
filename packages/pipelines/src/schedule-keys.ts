/**
 * Where a scheduled pipeline's schedule lives in its org's kv store (outside the public KV
 * API's `kv/` prefix): the next run at `pipelines/schedule/{id}`, one claim per run time below
 * `pipelines/schedule/{id}/run/`. The alertmanager writes them; deleting the pipeline removes
 * them.
 */
export const scheduleStateKey = (pipelineId: string): string => `pipelines/schedule/${pipelineId}`;

export const scheduleRunPrefix = (pipelineId: string): string =>
  `${scheduleStateKey(pipelineId)}/run/`;
