import type { K8sObject } from './helm.js';

/**
 * Schema validation of rendered objects against the Kubernetes OpenAPI schemas, offline: the
 * npm package kubernetes-models (pinned) ships a compiled validator per built-in kind, generated
 * from the Kubernetes OpenAPI spec (types, required fields, enums, int32/int64 formats). It does
 * not reject unknown fields. Custom resources (CloudNativePG, OpenTelemetry operator) have no
 * schema there: `null` tells the caller to check them by their own assertions.
 */
export async function schemaProblems(object: K8sObject): Promise<string[] | null> {
  const module = (await import(/* @vite-ignore */ `kubernetes-models/${object.apiVersion}`).catch(
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

/** apiVersions that are custom resources: validated by the tests' own assertions instead. */
export const CUSTOM_RESOURCE_API_VERSIONS = new Set([
  'postgresql.cnpg.io/v1',
  'opentelemetry.io/v1alpha1',
  'opentelemetry.io/v1beta1',
]);
