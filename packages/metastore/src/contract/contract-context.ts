import type { MetaStore } from '../meta-store.js';

/** What each part of the contract suite gets from `describeMetaStoreContract`. */
export interface ContractContext {
  /** The migrated store of the current test, on a database of its own. */
  store: () => MetaStore;
  /** Opens another store (new connection) on the current test's database. */
  open: () => Promise<MetaStore>;
  /** The clock every store of the test reads (ms); tests move it. */
  clock: { now: number };
}
