import { spawnSync } from 'node:child_process';
import { stringify } from 'yaml';
import { k8sStrictBinary } from '@o2/testing';
import type { K8sObject } from './helm.js';

// Two offline checks of rendered objects against Kubernetes' own definitions of the built-in
// kinds (no schema download: GitHub is out of reach here and in CI):
// - kubernetes-models (npm, pinned): validators generated from the Kubernetes OpenAPI spec —
//   types, required fields, enums, int32/int64 formats; it lets unknown fields through;
// - scripts/k8s-strict (Go, k8s.io/api types, built by scripts/ensure-test-deps.sh): strict
//   decoding into the API server's own Go types — unknown or misspelt fields, duplicates, types.
// Custom resources are validated by the same project's packages generated from each
// operator's CRD schemas (pinned): CloudNativePG's `Cluster`, the OpenTelemetry operator's
// collectors and `Instrumentation`, the Prometheus operator's `ServiceMonitor`.

/** The kubernetes-models package that models an API group. */
const CRD_PACKAGES: Record<string, string> = {
  'postgresql.cnpg.io': '@kubernetes-models/cloudnative-pg',
  'opentelemetry.io': '@kubernetes-models/opentelemetry-operator',
  'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
};

function modelPath(apiVersion: string): string {
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0]! : '';
  const pkg = CRD_PACKAGES[group];
  return pkg === undefined ? `kubernetes-models/${apiVersion}` : `${pkg}/${apiVersion}`;
}

/** kubernetes-models' verdict on one object; `null` when no package models its kind. */
export async function schemaProblems(object: K8sObject): Promise<string[] | null> {
  const module = (await import(/* @vite-ignore */ modelPath(object.apiVersion)).catch(
    () => null,
  )) as Record<string, unknown> | null;
  const model = module?.[object.kind] as (new (data: unknown) => { validate(): void }) | undefined;
  if (model === undefined) return null;
  try {
    new model(object).validate();
    return [];
  } catch (error) {
    return [`${object.kind} ${object.metadata.name}: ${(error as Error).message}`];
  }
}

export interface StrictVerdict {
  /** `<apiVersion> <kind> <name>: <reason>` per object that does not decode strictly. */
  invalid: string[];
  /** `<apiVersion> <kind> <name>` of the objects of kinds k8s.io/api does not define. */
  skipped: string[];
  checked: number;
}

/** Strict decoding of every object into its k8s.io/api Go type (scripts/k8s-strict). */
export function strictDecode(objects: K8sObject[]): StrictVerdict {
  const input = objects.map((o) => stringify(o)).join('---\n');
  const run = spawnSync(k8sStrictBinary(), [], { input, encoding: 'utf8' });
  if (run.status !== 0 && run.status !== 1) {
    throw new Error(`k8s-strict failed (${String(run.status)}): ${run.stderr}`);
  }
  const lines = run.stdout.split('\n').filter((l) => l !== '');
  const after = (prefix: string) =>
    lines.filter((l) => l.startsWith(prefix)).map((l) => l.slice(prefix.length));
  return { invalid: after('INVALID '), skipped: after('SKIP '), checked: after('OK ').length };
}
