/** A dependency the persist and upload cycles need. */
export type Dependency = 'object store' | 'metadata store' | 'event bus' | 'local disk';

interface Outage {
  since: number;
  failures: number;
  lastError: string;
}

/**
 * Whether the stores the ingester writes to answer, as seen by its own uploads: a transient
 * failure opens an outage for that dependency, the next success closes it. Readiness reports
 * the open ones, so an operator sees why data is piling up locally instead of guessing.
 */
export class StoreHealth {
  private readonly outages = new Map<Dependency, Outage>();
  private readonly lastSuccess = new Map<Dependency, number>();

  constructor(private readonly now: () => number = Date.now) {}

  succeeded(dependency: Dependency): void {
    this.outages.delete(dependency);
    this.lastSuccess.set(dependency, this.now());
  }

  /** Records a failure that is the dependency's fault (transient), not the data's. */
  failed(dependency: Dependency, error: string): void {
    const current = this.outages.get(dependency);
    this.outages.set(dependency, {
      since: current?.since ?? this.now(),
      failures: (current?.failures ?? 0) + 1,
      lastError: error,
    });
  }

  /** True while the dependency's last try failed. */
  isDown(dependency: Dependency): boolean {
    return this.outages.has(dependency);
  }

  /** One line per dependency that is down, e.g. `object store unreachable for 42 s: …`. */
  reasons(): string[] {
    const now = this.now();
    return [...this.outages].map(([dependency, outage]) => {
      const seconds = Math.max(0, Math.round((now - outage.since) / 1000));
      const verb = dependency === 'local disk' ? 'failing' : 'unreachable';
      return `${dependency} ${verb} for ${seconds} s (${outage.failures} failed tries): ${outage.lastError}`;
    });
  }
}
