import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { helmBinary } from '@o2/testing';

/** The repository root (this file is e2e/src/helm/test-support/). */
export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../..');

/**
 * One of the article's values files. The shared copy beside the repository wins when it exists
 * (the user's originals); the repository carries the same files in charts/test-values so the
 * tests pass without it.
 */
export function articleValuesFile(name: ArticleValues): string {
  const { shared, repository } = articleValuesCopies(name);
  return shared ?? repository;
}

export type ArticleValues = 'o2-values.yaml' | 'o2c-values.yaml';

/** Both places an article values file lives: the shared original (when present) and our copy. */
export function articleValuesCopies(name: ArticleValues): { shared?: string; repository: string } {
  const shared = resolve(REPO_ROOT, '../shared/values', name);
  const repository = join(REPO_ROOT, 'charts/test-values', name);
  return existsSync(shared) ? { shared, repository } : { repository };
}

/** A rendered Kubernetes object: only the fields every object has are typed. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

export interface RenderOptions {
  chart: 'openobserve' | 'openobserve-collector';
  release: string;
  namespace: string;
  valuesFiles?: string[];
  /** `--set key=value` pairs. */
  set?: string[];
}

function helmArgs(options: Pick<RenderOptions, 'valuesFiles' | 'set'>): string[] {
  return [
    ...(options.valuesFiles ?? []).flatMap((file) => ['-f', file]),
    ...(options.set ?? []).flatMap((pair) => ['--set', pair]),
  ];
}

/** Runs the pinned helm; a failure throws with helm's own stderr, which names the template. */
export function runHelm(args: string[]): string {
  const helm = helmBinary();
  try {
    return execFileSync(helm, args, {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, HELM_CACHE_HOME: join(REPO_ROOT, 'node_modules/.cache/helm') },
    });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`helm ${args.join(' ')} failed:\n${stderr}`, { cause: error });
  }
}

/** `helm template` of one chart, parsed into its objects (hooks included, tests excluded). */
export function helmTemplate(options: RenderOptions): K8sObject[] {
  const out = runHelm([
    'template',
    options.release,
    join('charts', options.chart),
    '-n',
    options.namespace,
    ...helmArgs(options),
  ]);
  const objects: K8sObject[] = [];
  for (const document of parseAllDocuments(out)) {
    if (document.errors.length > 0)
      throw new Error(`helm output is not YAML: ${document.errors[0]?.message ?? ''}`);
    const value = document.toJS() as K8sObject | null;
    if (value !== null) objects.push(value);
  }
  return objects;
}

/** `helm template o2 charts/openobserve -n openobserve -f o2-values.yaml`: the article's install. */
export function renderArticleChart(): K8sObject[] {
  return helmTemplate({
    chart: 'openobserve',
    release: 'o2',
    namespace: 'openobserve',
    valuesFiles: [articleValuesFile('o2-values.yaml')],
  });
}

/** `helm lint --strict`; throws with helm's output when the chart has errors or warnings. */
export function helmLint(options: Omit<RenderOptions, 'release' | 'namespace'>): string {
  return runHelm(['lint', '--strict', join('charts', options.chart), ...helmArgs(options)]);
}

/** The single object of `kind` named `name`; throws naming what was rendered otherwise. */
export function findObject<T = K8sObject>(
  objects: K8sObject[],
  kind: string,
  name: string,
): T & K8sObject {
  const found = objects.filter((o) => o.kind === kind && o.metadata.name === name);
  if (found.length !== 1) {
    throw new Error(`expected one ${kind} ${name}, found ${found.length.toString()}`);
  }
  return found[0] as T & K8sObject;
}

/**
 * NOTES.txt as `helm install` would print it. `helm template` leaves NOTES out and `helm
 * install --dry-run` wants a cluster, so a scratch copy of the chart renders the same file
 * through `tpl` into a ConfigMap and the text is read back from it.
 */
export function renderNotes(options: RenderOptions): string {
  const scratch = mkdtempSync(join(tmpdir(), 'helm-notes-'));
  try {
    const chart = join(scratch, options.chart);
    cpSync(join(REPO_ROOT, 'charts', options.chart), chart, { recursive: true });
    mkdirSync(join(chart, 'files'), { recursive: true });
    cpSync(join(chart, 'templates/NOTES.txt'), join(chart, 'files/notes-under-test.txt'));
    writeFileSync(
      join(chart, 'templates/notes-under-test.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes-under-test\ndata:\n' +
        '  notes: {{ tpl (.Files.Get "files/notes-under-test.txt") . | toJson }}\n',
    );
    const out = runHelm([
      'template',
      options.release,
      chart,
      '-n',
      options.namespace,
      '--show-only',
      'templates/notes-under-test.yaml',
      ...helmArgs(options),
    ]);
    const [document] = parseAllDocuments(out);
    return (document?.toJS() as { data: { notes: string } }).data.notes;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
