import { DEFAULT_ORG } from '@o2/domain';
import type { RouteDeps } from './route-deps.js';

const READY_TIMEOUT_MS = 2000;

/** One readiness check: the reasons it finds the node degraded (none when healthy). */
export type ReadinessCheck = () => Promise<string[]>;

/** Resolves `probe`'s answer, or `onTimeout` when it fails or does not answer in time. */
async function answerInTime<T>(
  probe: () => Promise<T>,
  onTimeout: T,
  timeoutMs: number,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(onTimeout), timeoutMs);
  });
  try {
    // The probe's own failure is caught here too, so a late rejection is never unhandled.
    const answered = probe().catch(() => onTimeout);
    return await Promise.race([answered, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The checks behind `/readyz`, each bounded in time. A list so more can be added: each says in
 * one line what is wrong, and the probe answers with all of them.
 */
export function readinessChecks(deps: Pick<RouteDeps, 'metaStore' | 'ingester'>): ReadinessCheck[] {
  const { metaStore, ingester } = deps;
  const checks: ReadinessCheck[] = [
    () =>
      answerInTime(
        async () => {
          await metaStore.orgs.get(DEFAULT_ORG);
          return [];
        },
        [`metadata store did not answer within ${READY_TIMEOUT_MS / 1000} s`],
        READY_TIMEOUT_MS,
      ),
  ];
  if (ingester !== undefined) {
    checks.push(() =>
      answerInTime(
        () => ingester.degradedReasons(),
        [`ingester did not report its health within ${READY_TIMEOUT_MS / 1000} s`],
        READY_TIMEOUT_MS,
      ),
    );
  }
  return checks;
}

/** Runs every check at once; the reasons of all that found a problem. */
export async function degradedReasons(checks: readonly ReadinessCheck[]): Promise<string[]> {
  return (await Promise.all(checks.map((check) => check()))).flat();
}
