import { findObject } from './helm.js';
import type { K8sObject } from './helm.js';

/** What the kubelet would give a container: its env after envFrom, env and the downward API. */
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    fieldRef?: { fieldPath: string };
    configMapKeyRef?: { name: string; key: string };
    secretKeyRef?: { name: string; key: string };
  };
}
interface Container {
  name: string;
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
}
interface PodOwner {
  spec: { template: { spec: { containers: Container[] } } };
}

/** The pod's own facts the downward API hands out (`fieldRef`). */
export interface PodFacts {
  name: string;
  ip: string;
}

function configMapData(objects: K8sObject[], name: string): Record<string, string> {
  return findObject<{ data?: Record<string, string> }>(objects, 'ConfigMap', name).data ?? {};
}

function secretData(objects: K8sObject[], name: string): Record<string, string> {
  const secret = findObject<{ data?: Record<string, string>; stringData?: Record<string, string> }>(
    objects,
    'Secret',
    name,
  );
  const decoded = Object.fromEntries(
    Object.entries(secret.data ?? {}).map(([k, v]) => [
      k,
      Buffer.from(v, 'base64').toString('utf8'),
    ]),
  );
  // The API server merges stringData over data.
  return { ...decoded, ...(secret.stringData ?? {}) };
}

function fieldValue(path: string, pod: PodFacts): string {
  if (path === 'metadata.name') return pod.name;
  if (path === 'status.podIP') return pod.ip;
  throw new Error(`the test does not know the downward API field ${path}`);
}

/**
 * The environment the first container of `kind/name` runs with, resolved from the rendered
 * ConfigMaps and Secrets exactly as Kubernetes does: envFrom sources in order (later wins), then
 * `env` over them.
 */
export function containerEnv(
  objects: K8sObject[],
  kind: string,
  name: string,
  pod: PodFacts,
): Record<string, string> {
  const [container] = findObject<PodOwner>(objects, kind, name).spec.template.spec.containers;
  if (container === undefined) throw new Error(`${kind} ${name} has no container`);
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef) Object.assign(env, configMapData(objects, source.configMapRef.name));
    if (source.secretRef) Object.assign(env, secretData(objects, source.secretRef.name));
  }
  for (const variable of container.env ?? []) {
    const from = variable.valueFrom;
    if (variable.value !== undefined) env[variable.name] = variable.value;
    else if (from?.fieldRef) env[variable.name] = fieldValue(from.fieldRef.fieldPath, pod);
    else if (from?.configMapKeyRef)
      env[variable.name] =
        configMapData(objects, from.configMapKeyRef.name)[from.configMapKeyRef.key] ?? '';
    else if (from?.secretKeyRef)
      env[variable.name] = secretData(objects, from.secretKeyRef.name)[from.secretKeyRef.key] ?? '';
  }
  return env;
}

/** Replaces each in-cluster `host:port` (keys of `hosts`) in every value by its local stand-in. */
export function mapServiceHosts(
  env: Record<string, string>,
  hosts: Record<string, string>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).map(([key, value]) => {
      let mapped = value;
      for (const [inCluster, local] of Object.entries(hosts))
        mapped = mapped.split(inCluster).join(local);
      return [key, mapped];
    }),
  );
}
