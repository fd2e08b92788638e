import { NODE_HOSTS, WORKLOADS } from './k8s-workloads.js';
import type { LogLine, Workload } from './k8s-workloads.js';
import { SeededRandom } from './seeded-random.js';

/** As many records as O2's own k8s log sample, so tests keep its familiar size. */
export const K8S_SAMPLE_COUNT = 981;

export type K8sLogRecord = Record<string, unknown>;

export interface K8sLogOptions {
  /** How many records; default {@link K8S_SAMPLE_COUNT}. */
  count?: number;
  /** Same seed, same records; default 1. */
  seed?: number;
  /**
   * Give every record a `_timestamp` (µs), ascending and spread over [startMicros, endMicros).
   * Without it records carry no timestamp of their own (as fluent-bit sends them), so the
   * ingester stamps them with the time of arrival.
   */
  time?: { startMicros: number; endMicros: number };
  /**
   * `dotted` (default): one level of keys such as `kubernetes.labels.app`, every record holding
   * every key (null when absent), like a collector that already flattened its output.
   * `nested`: `{ kubernetes: { labels: { app } } }` objects, which the ingester flattens itself
   * to the same column names.
   */
  shape?: 'dotted' | 'nested';
}

interface Pod {
  name: string;
  id: string;
  dockerId: string;
  host: string;
  /** The labels the controller adds to each pod. */
  labels: Record<string, string>;
}

interface Deployed {
  workload: Workload;
  hash: string;
  pods: Pod[];
}

/** Where the lines' own text clock starts when `time` is not given (2026-01-01T00:00:00Z). */
const TEXT_CLOCK_MS = Date.UTC(2026, 0, 1);
const TEXT_CLOCK_STEP_MS = 97;
const LINE_FIELDS = ['log', 'stream', 'code', 'level', 'message', 'method', 'took'] as const;

/**
 * Kubernetes container logs as a log collector ships them: pod metadata under `kubernetes.*`
 * plus `log` and `stream`, and for one workload structured fields (`code`, `method`, `took`,
 * `level`, `message`) in place of `log`. Deterministic for a seed; the vocabulary is made up.
 *
 * With the default options the records hold, among others: lines containing `error`, `Error`
 * and `ERROR`; `code` null and set, including codes above 399; six namespaces of clearly
 * different sizes; both streams; non-ASCII text.
 */
export function generateK8sLogs(options: K8sLogOptions = {}): K8sLogRecord[] {
  const count = options.count ?? K8S_SAMPLE_COUNT;
  const seed = options.seed ?? 1;
  const rng = new SeededRandom(seed);
  // Its own stream for the time jitter, so asking for timestamps leaves the content unchanged.
  const jitter = new SeededRandom(seed ^ 0x5bd1e995);
  const deployed = WORKLOADS.map((workload) => deploy(workload, rng));
  const labelKeys = keysOf(deployed, (d) => [
    ...Object.keys(d.workload.labels),
    ...Object.keys(d.pods[0]!.labels),
  ]);
  const annotationKeys = keysOf(deployed, (d) => Object.keys(d.workload.annotations));
  const weights = deployed.map((d) => [d, d.workload.weight] as const);

  const records: K8sLogRecord[] = [];
  for (let i = 0; i < count; i++) {
    const micros = timestampOf(i, count, options.time, jitter);
    const d = rng.weighted(weights);
    const pod = rng.pick(d.pods);
    const timeMs = micros === undefined ? TEXT_CLOCK_MS + i * TEXT_CLOCK_STEP_MS : micros / 1000;
    const line = d.workload.line({ rng, timeMs, pod: pod.name });
    const record = structured(d, pod, line, labelKeys, annotationKeys);
    if (micros !== undefined) record['_timestamp'] = micros;
    const shaped = options.shape === 'nested' ? record : dotted(record);
    records.push(d.workload.omitsNulls === true ? withoutNulls(shaped) : shaped);
  }
  return records;
}

/** The JSON array body an ingest request (`POST /api/{org}/{stream}/_json`) carries. */
export function jsonBody(records: readonly unknown[]): Buffer {
  return Buffer.from(JSON.stringify(records));
}

function deploy(workload: Workload, rng: SeededRandom): Deployed {
  const hash = rng.chars(10, 'bcdfghjklmnpqrstvwxz2456789');
  const pods = Array.from({ length: workload.replicas }, (_, ordinal): Pod => {
    const name =
      workload.kind === 'statefulset'
        ? `${workload.container}-${ordinal}`
        : `${workload.container}-${hash}-${rng.chars(5, 'bcdfghjklmnpqrstvwxz2456789')}`;
    const labels: Record<string, string> =
      workload.kind === 'statefulset'
        ? {
            'controller-revision-hash': `${workload.container}-${hash}`,
            'statefulset.kubernetes.io/pod-name': name,
          }
        : { 'pod-template-hash': hash };
    return { name, id: rng.uuid(), dockerId: rng.chars(64), host: rng.pick(NODE_HOSTS), labels };
  });
  return { workload, hash: rng.chars(64), pods };
}

function keysOf(deployed: readonly Deployed[], keys: (d: Deployed) => string[]): string[] {
  return [...new Set(deployed.flatMap(keys))].sort();
}

function timestampOf(
  i: number,
  count: number,
  time: K8sLogOptions['time'],
  rng: SeededRandom,
): number | undefined {
  if (time === undefined) return undefined;
  // Even slots with jitter inside each slot: ascending, never two records at the same µs
  // unless the range is shorter than the count.
  const slot = (time.endMicros - time.startMicros) / count;
  return Math.floor(time.startMicros + (i + rng.next() * 0.999) * slot);
}

/** The record as nested objects, every known key present (null when this pod lacks it). */
function structured(
  d: Deployed,
  pod: Pod,
  line: LogLine,
  labelKeys: readonly string[],
  annotationKeys: readonly string[],
): K8sLogRecord {
  const { workload } = d;
  const own: Record<string, string> = { ...workload.labels, ...pod.labels };
  const repository = workload.image.slice(0, workload.image.lastIndexOf(':'));
  const record: K8sLogRecord = {
    kubernetes: {
      annotations: Object.fromEntries(
        annotationKeys.map((k) => [k, workload.annotations[k] ?? null]),
      ),
      container_hash: `${repository}@sha256:${d.hash}`,
      container_image: workload.image,
      container_name: workload.container,
      docker_id: pod.dockerId,
      host: pod.host,
      labels: Object.fromEntries(labelKeys.map((k) => [k, own[k] ?? null])),
      namespace_name: workload.namespace,
      pod_id: pod.id,
      pod_name: pod.name,
    },
  };
  for (const field of LINE_FIELDS) record[field] = line[field] ?? null;
  return record;
}

/** `kubernetes.labels.app`-style keys, one level deep, as the sample file O2's guides use. */
function dotted(record: K8sLogRecord): K8sLogRecord {
  const out: K8sLogRecord = {};
  const walk = (value: unknown, prefix: string): void => {
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      if (v !== null && typeof v === 'object') walk(v, `${prefix}${key}.`);
      else out[`${prefix}${key}`] = v;
    }
  };
  walk(record, '');
  return out;
}

function withoutNulls(record: K8sLogRecord): K8sLogRecord {
  const out: K8sLogRecord = {};
  for (const [key, value] of Object.entries(record)) {
    if (value === null) continue;
    out[key] =
      typeof value === 'object' && !Array.isArray(value)
        ? withoutNulls(value as K8sLogRecord)
        : value;
  }
  return out;
}
