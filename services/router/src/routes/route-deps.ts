import type { RequestHandler } from 'express';
import type { Config } from '@o2/config';
import type {
  EventBus,
  IngestService,
  IngesterControl,
  PromqlService,
  SearchService,
} from '@o2/domain';
import type { NodeRegistry } from '@o2/cluster';
import type { EnrichmentCache, EnrichmentStore, UrlJobs } from '@o2/enrichment';
import type { Logger } from '@o2/logger';
import type { MetaStore } from '@o2/metastore';
import type { ObjectStore } from '@o2/storage';
import type { TailSource } from '@o2/live-tail';
import type { PasswordChecker } from '../auth/password-checker.js';
import type { ReadinessProbe, ReasonSource } from '@o2/runtime';

/** What every route module gets from the app. */
export interface RouteDeps {
  config: Config;
  logger: Logger;
  metaStore: MetaStore;
  passwords: PasswordChecker;
  /** Content-Type check and JSON parsing with the payload limit (415/400/413). */
  jsonBody: RequestHandler[];
  now: () => number;
  /** Where ingest requests go; absent on a router with no ingester reachable (ingest → 503). */
  ingest?: IngestService;
  /** The local ingester's controls (flush, hot stats, drop); absent when this node has none. */
  ingester?: IngesterControl;
  /** Where Parquet files live (`/readyz` checks it; the compactor deletes from it). */
  objectStore?: ObjectStore;
  /**
   * Enrichment tables (built over `objectStore`): the store the upload route writes, and the
   * per-org cache VRL's `get_enrichment_table_record` reads (`enrichmentFunctions(await
   * cache.tables(org))` from `@o2/enrichment`). Absent without an object store.
   */
  enrichment?: { store: EnrichmentStore; cache: EnrichmentCache; urlJobs: UrlJobs };
  /** The cluster's event bus: a stream deletion wakes the compactor through it. */
  events?: EventBus;
  /** The querier (in process or a client); absent → search routes are 503. */
  search?: SearchService;
  /** The querier's PromQL side (in process or a client); absent → the Prometheus API is 503. */
  promql?: PromqlService;
  /** Live tail's rows (the in-process ingester, or every ingester over gRPC); absent → 503. */
  tail?: TailSource;
  /** The cluster's live nodes (`/api/_meta/node/list`); absent → that route is 503. */
  nodes?: Pick<NodeRegistry, 'list'>;
  /**
   * The pipelines of an org that use a function: `GET /functions/{name}` lists them and a
   * delete is refused while any does. Absent → none (until pipelines exist).
   */
  functionDependencies?: (
    org: string,
    name: string,
  ) => Promise<Array<{ id: string; name: string }>>;
  /** What `/readyz` checks besides the metadata and object stores (NATS, the local WAL disk). */
  readiness?: { probes?: ReadinessProbe[]; sources?: ReasonSource[] };
}
