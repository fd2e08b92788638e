import type { Ack, StreamJson, StreamList } from '@o2/api-schemas';
import { ApiError, request } from './client';
import { serverBase } from '../app/paths';

const seg = (value: string): string => encodeURIComponent(value);

// The shapes of O2's functions, pipelines and enrichment tables (O2-CONTRACT §7), as the UI
// reads and writes them. They live here until the router's schemas for these routes exist in
// `@o2/api-schemas`; then these become imports.

/** O2's `Transform` (camelCase on create/update). */
export interface VrlFunction {
  name: string;
  function: string;
  params: string;
  numArgs: number;
  transType: number;
  streams?: unknown[];
}

export interface FunctionTestResult {
  message: string;
  event: unknown;
}

export type PipelineNodeData =
  | { node_type: 'stream'; org_id: string; stream_name: string; stream_type: string }
  | { node_type: 'function'; name: string; after_flatten: boolean; num_args: number }
  | {
      node_type: 'condition';
      conditions: { column: string; operator: string; value: string; ignore_case?: boolean }[];
    };

export interface PipelineNode {
  id: string;
  data: PipelineNodeData;
  position: { x: number; y: number };
  io_type: 'input' | 'output' | 'default';
}

export interface PipelineEdge {
  id: string;
  source: string;
  target: string;
}

export interface Pipeline {
  pipeline_id?: string;
  id?: string;
  version?: number;
  enabled: boolean;
  org: string;
  name: string;
  description: string;
  source: {
    source_type: 'realtime' | 'scheduled';
    org_id?: string;
    stream_name?: string;
    stream_type?: string;
  };
  nodes: PipelineNode[];
  edges: PipelineEdge[];
}

export const pipelineId = (p: Pipeline): string => p.pipeline_id ?? p.id ?? '';

/** A multipart upload (the CSV of an enrichment table); errors as `request` reports them. */
async function upload<T>(path: string, form: FormData): Promise<T> {
  const response = await fetch(`${serverBase()}${path}`, {
    method: 'POST',
    credentials: 'same-origin',
    body: form,
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    // not JSON: keep the text
  }
  if (!response.ok) {
    const message =
      typeof body === 'object' && body !== null && 'message' in body
        ? String(body.message)
        : `${response.status} ${response.statusText}`;
    throw new ApiError(response.status, message);
  }
  return body as T;
}

/** The router's functions, pipelines and enrichment-table routes as the pipeline pages use them. */
export const pipelineApi = {
  functions: (org: string) => request<{ list: VrlFunction[] }>('GET', `/api/${seg(org)}/functions`),
  createFunction: (org: string, fn: VrlFunction) =>
    request<Ack>('POST', `/api/${seg(org)}/functions`, fn),
  updateFunction: (org: string, fn: VrlFunction) =>
    request<Ack>('PUT', `/api/${seg(org)}/functions/${seg(fn.name)}`, fn),
  deleteFunction: (org: string, name: string) =>
    request<Ack>('DELETE', `/api/${seg(org)}/functions/${seg(name)}`),
  /** The pipelines that use a function. */
  functionPipelines: (org: string, name: string) =>
    request<{ list: { id?: string; pipeline_id?: string; name: string }[] }>(
      'GET',
      `/api/${seg(org)}/functions/${seg(name)}`,
    ),
  testFunction: (org: string, source: string, events: unknown[]) =>
    request<{ results: FunctionTestResult[] }>('POST', `/api/${seg(org)}/functions/test`, {
      function: source,
      events,
      trans_type: 0,
    }),
  pipelines: (org: string) => request<{ list: Pipeline[] }>('GET', `/api/${seg(org)}/pipelines`),
  pipeline: (org: string, id: string) =>
    request<Pipeline>('GET', `/api/${seg(org)}/pipelines/${seg(id)}`),
  createPipeline: (org: string, pipeline: Pipeline) =>
    request<Ack>('POST', `/api/${seg(org)}/pipelines`, pipeline),
  updatePipeline: (org: string, pipeline: Pipeline) =>
    request<Ack>('PUT', `/api/${seg(org)}/pipelines`, pipeline),
  deletePipeline: (org: string, id: string) =>
    request<Ack>('DELETE', `/api/${seg(org)}/pipelines/${seg(id)}`),
  enablePipeline: (org: string, id: string, value: boolean) =>
    request<Ack>('PUT', `/api/${seg(org)}/pipelines/${seg(id)}/enable?value=${value}`),
  enrichmentTables: (org: string) =>
    request<StreamList>('GET', `/api/${seg(org)}/streams?type=enrichment_tables`),
  enrichmentStatus: (org: string) =>
    request<Record<string, unknown>>('GET', `/api/${seg(org)}/enrichment_tables/status`),
  enrichmentSchema: (org: string, name: string) =>
    request<StreamJson>(
      'GET',
      `/api/${seg(org)}/streams/${seg(name)}/schema?type=enrichment_tables`,
    ),
  uploadEnrichmentTable: (org: string, name: string, file: File, append: boolean) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return upload<Ack>(`/api/${seg(org)}/enrichment_tables/${seg(name)}?append=${append}`, form);
  },
  deleteEnrichmentTable: (org: string, name: string) =>
    request<Ack>('DELETE', `/api/${seg(org)}/streams/${seg(name)}?type=enrichment_tables`),
};
