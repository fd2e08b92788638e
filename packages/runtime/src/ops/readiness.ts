import type { Cluster } from '@o2/cluster';
import { DEFAULT_ORG } from '@o2/domain';
import type { MetaStore } from '@o2/metastore';
import type { ObjectStore } from '@o2/storage';

/** One dependency the node needs to serve: `check` resolves when it answers. */
export interface ReadinessProbe {
  /** How the reason names it, e.g. `metadata store`. */
  name: string;
  check(): Promise<unknown>;
}

/** Extra reasons a part of the process knows about (an ingester's full WAL disk, say). */
export type ReasonSource = () => Promise<string[]> | string[];

export const PROBE_TIMEOUT_MS = 2000;
/** Never looked up for real: a `head` on it proves the bucket answers (undefined is fine). */
const PROBE_KEY = '.o2ts-readiness-probe';

export function metaStoreProbe(metaStore: MetaStore): ReadinessProbe {
  return { name: 'metadata store', check: () => metaStore.orgs.get(DEFAULT_ORG) };
}

export function objectStoreProbe(objectStore: ObjectStore): ReadinessProbe {
  return { name: 'object store', check: () => objectStore.head(PROBE_KEY) };
}

/** Undefined when `probe` answers in time, else why not (its error, or the timeout). */
async function failure(probe: ReadinessProbe, timeoutMs: number): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${timeoutMs} ms`), timeoutMs);
  });
  try {
    // The probe's own failure is caught here too, so a late rejection is never unhandled.
    const answered = Promise.resolve()
      .then(() => probe.check())
      .then(
        () => undefined,
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      );
    return await Promise.race([answered, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Why this node is degraded, one line per dependency (`object store unreachable: …`), checked
 * in parallel; empty when everything answers. Messages are the adapters' own, which never carry
 * credentials.
 */
export async function readinessReasons(
  probes: readonly ReadinessProbe[],
  sources: readonly ReasonSource[] = [],
  timeoutMs = PROBE_TIMEOUT_MS,
): Promise<string[]> {
  const probed = await Promise.all(
    probes.map(async (probe) => {
      const why = await failure(probe, timeoutMs);
      return why === undefined ? undefined : `${probe.name} unreachable: ${why}`;
    }),
  );
  const reported = await Promise.all(
    sources.map(async (source) => {
      const reasons: string[] = [];
      const why = await failure(
        {
          name: 'readiness source',
          check: async () => reasons.push(...(await source())),
        },
        timeoutMs,
      );
      return why === undefined ? reasons : [`readiness source failed: ${why}`];
    }),
  );
  return [...probed.filter((r): r is string => r !== undefined), ...reported.flat()];
}

/** The cluster's coordination service (NATS in a cluster): a KV read proves it answers. */
export function coordinationProbe(cluster: Cluster): ReadinessProbe {
  return { name: 'coordination (NATS)', check: () => cluster.kv.get(PROBE_KEY) };
}
