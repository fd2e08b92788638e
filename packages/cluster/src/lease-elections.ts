import { AppError } from '@o2/errors';
import type { Campaign, CampaignOptions, ClusterLogger, LeaseHolder, Leases } from './cluster.js';
import { backgroundTimeout, runCallback } from './background.js';
import { validateNonEmpty } from './validate.js';

export interface LeaseRecord {
  holderId: string;
  /** The holder's deadline, ms since the epoch. */
  expiresAt: number;
}

export interface StoredLease {
  record: LeaseRecord;
  revision: number;
}

/**
 * Compare-and-set storage for leases. Mutual exclusion rests entirely on `create` failing when
 * the name exists and `update` failing when the revision is stale.
 */
export interface LeaseStore {
  read(name: string): Promise<StoredLease | undefined>;
  /** The new revision, or undefined when the name is already taken. */
  create(name: string, record: LeaseRecord): Promise<number | undefined>;
  /** The new revision, or undefined when `revision` is no longer the current one. */
  update(name: string, record: LeaseRecord, revision: number): Promise<number | undefined>;
  /** Removes the lease if `revision` is still current. */
  remove(name: string, revision: number): Promise<void>;
}

export interface LeaseElectionsOptions {
  logger?: ClusterLogger;
  /** The longest TTL the store can keep a record alive for between renewals. */
  maxTtlMs?: number;
}

/**
 * Leader election over any `LeaseStore`. A lease is taken over once its stored deadline has
 * passed, so the processes' clocks must agree to well within a TTL (NTP does).
 */
export class LeaseElections implements Leases {
  readonly #store: LeaseStore;
  readonly #logger: ClusterLogger | undefined;
  readonly #maxTtlMs: number;
  readonly #campaigns = new Set<LeaseCampaign>();
  #closed = false;

  constructor(store: LeaseStore, options: LeaseElectionsOptions = {}) {
    this.#store = store;
    this.#logger = options.logger;
    this.#maxTtlMs = options.maxTtlMs ?? Number.POSITIVE_INFINITY;
  }

  campaign(name: string, holderId: string, options: CampaignOptions): Campaign {
    if (this.#closed) throw new AppError('UNAVAILABLE', 'cluster client is closed');
    validateNonEmpty('lease name', name);
    validateNonEmpty('lease holder id', holderId);
    if (!(options.ttlMs > 0 && options.ttlMs <= this.#maxTtlMs)) {
      throw AppError.invalidArgument(`lease TTL must be positive and at most ${this.#maxTtlMs} ms`);
    }
    if (options.retryMs !== undefined && !(options.retryMs > 0)) {
      throw AppError.invalidArgument('lease retry interval must be positive');
    }
    const campaign = new LeaseCampaign(this.#store, name, holderId, options, this.#logger, () =>
      this.#campaigns.delete(campaign),
    );
    this.#campaigns.add(campaign);
    campaign.start();
    return campaign;
  }

  async holder(name: string): Promise<LeaseHolder | undefined> {
    validateNonEmpty('lease name', name);
    const stored = await this.#store.read(name);
    if (stored === undefined || stored.record.expiresAt <= Date.now()) return undefined;
    return { holderId: stored.record.holderId, expiresAt: stored.record.expiresAt };
  }

  /** Stops every campaign without releasing held leases: they expire as after a crash. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#campaigns].map((c) => c.abandon()));
    this.#campaigns.clear();
  }
}

class LeaseCampaign implements Campaign {
  readonly name: string;
  readonly holderId: string;
  readonly #store: LeaseStore;
  readonly #options: CampaignOptions;
  readonly #logger: ClusterLogger | undefined;
  readonly #forget: () => void;
  #leading = false;
  #revision = 0;
  #stopped = false;
  #timer: NodeJS.Timeout | undefined;
  #lostTimer: NodeJS.Timeout | undefined;
  #inFlight: Promise<void> = Promise.resolve();
  #resigned: Promise<void> | undefined;

  constructor(
    store: LeaseStore,
    name: string,
    holderId: string,
    options: CampaignOptions,
    logger: ClusterLogger | undefined,
    forget: () => void,
  ) {
    this.#store = store;
    this.name = name;
    this.holderId = holderId;
    this.#options = options;
    this.#logger = logger;
    this.#forget = forget;
  }

  start(): void {
    this.#schedule(0);
  }

  isLeader(): boolean {
    return this.#leading;
  }

  resign(): Promise<void> {
    return (this.#resigned ??= (async () => {
      await this.abandon();
      this.#forget();
      if (this.#revision > 0 && (await this.#stillOurs())) {
        await this.#store.remove(this.name, this.#revision).catch((err: unknown) => {
          this.#logger?.warn({ err, lease: this.name }, 'releasing lease failed');
        });
      }
    })());
  }

  async abandon(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    clearTimeout(this.#lostTimer);
    await this.#inFlight;
    this.#leading = false;
  }

  async #stillOurs(): Promise<boolean> {
    const stored = await this.#store.read(this.name).catch(() => undefined);
    return stored?.revision === this.#revision && stored.record.holderId === this.holderId;
  }

  #schedule(delayMs: number): void {
    this.#timer = backgroundTimeout(() => {
      this.#inFlight = (this.#leading ? this.#renew() : this.#tryAcquire())
        .catch((err: unknown) => {
          this.#logger?.warn({ err, lease: this.name }, 'lease campaign step failed');
        })
        .then(() => {
          if (this.#stopped) return;
          const ttl = this.#options.ttlMs;
          this.#schedule(this.#leading ? ttl / 3 : (this.#options.retryMs ?? ttl / 3));
        });
    }, delayMs);
  }

  async #tryAcquire(): Promise<void> {
    const sentAt = Date.now();
    const current = await this.#store.read(this.name);
    const record = { holderId: this.holderId, expiresAt: sentAt + this.#options.ttlMs };
    let revision: number | undefined;
    if (current === undefined) {
      revision = await this.#store.create(this.name, record);
    } else if (current.record.holderId === this.holderId || current.record.expiresAt <= sentAt) {
      revision = await this.#store.update(this.name, record, current.revision);
    }
    if (revision === undefined) return;
    this.#revision = revision;
    this.#leading = true;
    this.#armLostTimer(sentAt);
    // A resign racing with this step still sees #leading and releases the lease.
    if (!this.#stopped) runCallback(this.#logger, { lease: this.name }, this.#options.onElected);
  }

  async #renew(): Promise<void> {
    const sentAt = Date.now();
    const record = { holderId: this.holderId, expiresAt: sentAt + this.#options.ttlMs };
    let revision: number | undefined;
    try {
      revision = await this.#store.update(this.name, record, this.#revision);
    } catch (err) {
      // Not fatal yet: the lost timer steps down if no renewal succeeds before the deadline.
      this.#logger?.warn({ err, lease: this.name }, 'lease renewal failed');
      return;
    }
    if (!this.#leading) return;
    if (revision === undefined) return this.#lose();
    this.#revision = revision;
    this.#armLostTimer(sentAt);
  }

  /**
   * Steps down a little before the stored deadline, which others may act on the moment it
   * passes; the margin absorbs a late timer on a busy machine.
   */
  #armLostTimer(sentAt: number): void {
    clearTimeout(this.#lostTimer);
    const ttl = this.#options.ttlMs;
    const at = sentAt + ttl - Math.min(ttl / 10, 1_000);
    this.#lostTimer = backgroundTimeout(() => this.#lose(), Math.max(0, at - Date.now()));
  }

  #lose(): void {
    if (!this.#leading) return;
    this.#leading = false;
    clearTimeout(this.#lostTimer);
    if (!this.#stopped) runCallback(this.#logger, { lease: this.name }, this.#options.onLost);
  }
}
