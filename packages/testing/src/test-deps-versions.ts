import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** `scripts/` of the repository; the same depth from `src/` (tests) and `dist/` (benches). */
export const SCRIPTS_DIR = fileURLToPath(new URL('../../../scripts/', import.meta.url));

/** The pinned versions of the third-party programs the tests run. */
export interface TestDepsVersions {
  /** Debian's `prometheus` (major.minor), e.g. `2.42`. */
  prometheus: string;
  /** The collector builder and every collector module, e.g. `0.165.0`. */
  otelcol: string;
  /** contrib's telemetrygen, e.g. `0.161.0`. */
  telemetrygen: string;
  /** helm v3 for the chart tests, e.g. `3.21.4`. */
  helm: string;
  /** The k8s.io modules scripts/k8s-strict is built with, e.g. `0.36.2`. */
  k8sApi: string;
  /** VictoriaLogs, the comparison in `pnpm bench:vs-victorialogs` (a bench dep, not a test dep). */
  victoriaLogs: string;
  /** Mailpit, the SMTP server of the e-mail delivery tests, e.g. `1.33.1`. */
  mailpit: string;
}

let cached: TestDepsVersions | undefined;

/**
 * The versions pinned in `scripts/test-deps-versions.env`, the one place they are written (the
 * install script sources the same file), so the harness looks for exactly the binaries the
 * script builds.
 */
export function testDepsVersions(): TestDepsVersions {
  if (cached !== undefined) return cached;
  const file = `${SCRIPTS_DIR}test-deps-versions.env`;
  const values = new Map<string, string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^([A-Z][A-Z0-9_]*)=(\S+)\s*$/.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) values.set(match[1], match[2]);
  }
  const get = (key: string): string => {
    const value = values.get(key);
    if (value === undefined) throw new Error(`${file} has no ${key}=… line`);
    return value;
  };
  cached = {
    prometheus: get('PROMETHEUS_VERSION'),
    otelcol: get('OTELCOL_VERSION'),
    telemetrygen: get('TELEMETRYGEN_VERSION'),
    helm: get('HELM_VERSION'),
    k8sApi: get('K8S_API_VERSION'),
    victoriaLogs: get('VICTORIALOGS_VERSION'),
    mailpit: get('MAILPIT_VERSION'),
  };
  return cached;
}
