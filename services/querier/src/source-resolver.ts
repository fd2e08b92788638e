import { BoundedMap } from '@o2/bounded-map';
import type { Config } from '@o2/config';
import type { StreamKind } from '@o2/domain';
import { storedFileKey, tokenIndexKey, traceIdIndexKey } from '@o2/domain';
import type {
  MetaStore,
  StoredFileEntry,
  StreamRef as MetaStreamRef,
  StreamType,
} from '@o2/metastore';
import {
  EVERY_FIELD_LISTED,
  tokenIndexInfo,
  tokenIndexMayMatch,
  tokenIndexRowRanges,
  unpackTokenIndex,
} from '@o2/token-index';
import { clocked } from '@o2/search';
import type { LateRows, RemoteScan, StreamField, StreamRef, StreamSource } from '@o2/search';
import { traceIdSetMayContain } from '@o2/traces';
import type { RowRanges, ScanStream } from '@o2/proto';
import type { ObjectStore } from '@o2/storage';
import type { FileCache } from './file-cache.js';
import type {
  FileSplit,
  HotDataSource,
  HotSnapshot,
  NodeScan,
  TimeRange,
} from './querier-types.js';
import type { StoredFileReads } from './stored-file-reads.js';
import { streamFtsKeys } from './stream-fts-keys.js';
import { addedFiles, emptySnapshot, laterRelease } from './late-share.js';
import { listedFiles } from './listed-file-stats.js';
import { rangesByPath } from './ranges-by-path.js';

export interface SourceResolverDeps {
  config: Config;
  metaStore: MetaStore;
  objectStore: ObjectStore;
  files: FileCache;
  /** Absent on a querier with no local ingester: stored files only. */
  hotData?: HotDataSource;
  /** Absent on a single node: every stored file is read here. */
  fileSplit?: FileSplit;
  /** Told of each resolve until its release (the single node's compactor purges by it). */
  reads?: StoredFileReads;
}

/** The sources of one query, held (snapshots pinned) until `release`. */
export interface ResolvedSources {
  sources: StreamSource[];
  release(): void;
  /** Files the query reads (stored files kept after pruning plus the ingester's local files). */
  scanned: number;
  /** Stored files whose token index ruled out a `match_all` term. */
  pruned: number;
  /** Per-querier share of the stored files (cluster mode). */
  nodes: NodeScan[];
}

export interface SourceResolver {
  /** Sources for every stream the SQL reads, plus the snapshots to release afterwards. */
  resolve(
    org: string,
    type: StreamKind,
    refs: readonly StreamRef[],
    range: TimeRange,
    terms: ReadonlyMap<string, string[]>,
    /**
     * Per stream, trace-id conditions its rows must meet (each: one of these ids): a traces file
     * whose trace-id index holds none of a condition's ids is skipped.
     */
    traceIds?: ReadonlyMap<string, string[][]>,
    /** Take every snapshot before the query runs (the retry of a query whose files moved). */
    eager?: boolean,
  ): Promise<ResolvedSources>;
  /** A worker's share of a leader's query: the stream's stored schema over these files. */
  storedSource(
    ref: MetaStreamRef,
    files: readonly StoredFileEntry[],
    /** The schema and settings the leader sent; read from the metastore when absent. */
    known?: ScanStream,
    /** Per file (same order), the rows the leader's token index left; undefined: all of it. */
    rowRanges?: ReadonlyArray<RowRanges | undefined>,
  ): Promise<StreamSource>;
}

const INDEX_CACHE_ENTRIES = 20_000;

/** The whole time axis (µs), for streams read whatever the query's range. */
const ALL_TIME: TimeRange = { startTs: 0, endTs: Number.MAX_SAFE_INTEGER };

/**
 * Which data a query reads for each stream and time range: the ingester's memtable rows and
 * local files plus the stored Parquet, all from one consistent snapshot; stored files whose
 * token index rules out a `match_all` term are skipped, the rest are fetched into the file
 * cache (or, in cluster mode, partly read by other queriers).
 */
export function createSourceResolver(deps: SourceResolverDeps): SourceResolver {
  const { config, metaStore, objectStore, files } = deps;
  const indexes = new BoundedMap<string, Uint8Array>(INDEX_CACHE_ENTRIES);
  /**
   * Per (stored file, terms and the fields each is searched in): the row ranges its token index
   * leaves (empty: ruled out; undefined: read it whole). A rare term's ranges over a merged file
   * cost ~1.2 ms per query (`prune`), and dashboards and the logs page ask the same terms again.
   * Shared between queries: read-only.
   */
  const verdicts = new BoundedMap<
    string,
    { ranges: ReadonlyArray<readonly [number, number]> | undefined }
  >(INDEX_CACHE_ENTRIES);

  const tokenIndex = async (file: StoredFileEntry): Promise<Uint8Array | undefined> => {
    const key = tokenIndexKey(storedFileKey(file));
    const hit = indexes.get(key);
    if (hit !== undefined) return hit;
    try {
      // Unpacked once, off the event loop, and kept unpacked: every query after reads it as is.
      const index = await unpackTokenIndex(await objectStore.getBytes(key));
      tokenIndexInfo(index); // decodes it (kept with the bytes), or throws on a format unknown here
      indexes.set(key, index);
      return index;
    } catch {
      // No index, or one this build cannot read (a newer format written during a rolling
      // upgrade, a damaged object): the file can't be ruled out, and the query goes on.
      return undefined;
    }
  };

  /**
   * The snapshot of one stream: from the ingester when there is one, else the file list.
   * Enrichment tables never pass an ingester (the router writes their files), so their
   * snapshot is the file list alone, in a cluster too (ingesters serve only ingestible kinds).
   */
  const snapshotOf = async (ref: MetaStreamRef, range: TimeRange): Promise<HotSnapshot> =>
    deps.hotData !== undefined && ref.type !== 'enrichment_tables'
      ? await deps.hotData.snapshot(ref, range)
      : {
          tables: [],
          localFiles: [],
          storedFiles: await metaStore.fileList.query(ref, range),
          release: () => undefined,
        };

  /** A traces file's trace-id set; an empty array stands for "none" so misses are cached too. */
  const traceIdIndex = async (file: StoredFileEntry): Promise<Uint8Array | undefined> => {
    const key = traceIdIndexKey(storedFileKey(file));
    let index = indexes.get(key);
    if (index === undefined) {
      index = await objectStore.getBytes(key).catch(() => new Uint8Array(0));
      indexes.set(key, index);
    }
    return index.byteLength === 0 ? undefined : index;
  };

  /**
   * Whether a stored file's indexes rule out a required term or trace id (`true`), or else the
   * only row ranges that can hold the terms (undefined: read it whole).
   */
  const ruledOut = async (
    file: StoredFileEntry,
    wanted: readonly string[],
    traceIds: readonly string[][],
    /** Per term, the fields the index must cover to rule anything out on it. */
    fields: (term: string, everyFieldListed: boolean) => readonly string[],
  ): Promise<true | ReadonlyArray<readonly [number, number]> | undefined> => {
    let ranges: ReadonlyArray<readonly [number, number]> | undefined;
    if (config.ZO_ENABLE_INVERTED_INDEX && wanted.length > 0 && file.indexSize > 0) {
      const index = await tokenIndex(file);
      if (index !== undefined) {
        const every = tokenIndexInfo(index).fields.includes(EVERY_FIELD_LISTED);
        const need = (term: string) => fields(term, every);
        // A file and its index never change: the same terms over the same fields read it alike.
        const asked = JSON.stringify([storedFileKey(file), wanted.map((t) => [t, need(t)])]);
        let verdict = verdicts.get(asked);
        if (verdict === undefined) {
          verdict = {
            ranges: wanted.every((term) => tokenIndexMayMatch(index, term, need(term)))
              ? tokenIndexRowRanges(index, wanted, wanted.flatMap(need))
              : [],
          };
          verdicts.set(asked, verdict);
        }
        ranges = verdict.ranges;
      }
      if (ranges?.length === 0) return true;
    }
    if (traceIds.length > 0 && file.type === 'traces') {
      const index = await traceIdIndex(file);
      const holdsNone = (ids: readonly string[]) =>
        !ids.some((id) => traceIdSetMayContain(index as Uint8Array, id));
      if (index !== undefined && traceIds.some(holdsNone)) return true;
    }
    return ranges;
  };

  /** The stored files the required terms and trace ids cannot rule out, and how many were. */
  const prune = async (
    stored: readonly StoredFileEntry[],
    wanted: readonly string[],
    traceIds: readonly string[][],
    fields: (term: string, everyFieldListed: boolean) => readonly string[],
  ) => {
    const kept: StoredFileEntry[] = [];
    const ranges = new Map<string, ReadonlyArray<readonly [number, number]>>();
    let pruned = 0;
    for (const file of stored) {
      const verdict = await ruledOut(file, wanted, traceIds, fields);
      if (verdict === true) pruned++;
      else {
        kept.push(file);
        if (verdict !== undefined) ranges.set(storedFileKey(file), verdict);
      }
    }
    return { kept, pruned, ranges };
  };

  return {
    async resolve(org, type, refs, range, terms, traceIds = new Map(), eager = false) {
      // Begun before the file list is read: a file marked deleted after this may be read.
      const endRead = deps.reads?.begin() ?? (() => undefined);
      const snapshots: HotSnapshot[] = [];
      // Filled while the query runs too: the workers' lines arrive with their answers.
      const nodes: NodeScan[] = [];
      const addNodes = (scans: readonly NodeScan[]): void => {
        for (const node of scans) {
          const sum = nodes.find((n) => n.name === node.name);
          if (sum === undefined) nodes.push({ ...node });
          else {
            sum.files += node.files;
            sum.records += node.records;
          }
        }
      };
      const sources: StreamSource[] = [];
      let scanned = 0;
      let pruned = 0;
      try {
        for (const ref of refs) {
          const streamType = (ref.type ?? type) as StreamType;
          const metaRef: MetaStreamRef = { org, type: streamType, name: ref.name };
          // An enrichment table is read whole: its rows' _timestamp is only the upload time.
          const allRows = streamType === 'enrichment_tables';
          const streamRange = allRows ? ALL_TIME : range;
          // The metastore reads run beside the snapshot; it is awaited first so that a failing
          // read still finds it among the snapshots to release.
          const meta = clocked('meta', () =>
            Promise.all([
              metaStore.schemas.latest(metaRef),
              metaStore.streams.get(metaRef),
              allRows ? metaStore.streamDeletions.get(metaRef) : undefined,
            ]),
          );
          meta.catch(() => undefined);
          // Cluster: the stored files this querier listed are split over the queriers while the
          // ingesters answer; their rows (and any file they add) join this querier's own share.
          const hot = deps.hotData;
          const early =
            allRows || eager || deps.fileSplit === undefined || hot?.begin === undefined
              ? undefined
              : hot.begin(metaRef, streamRange);
          if (early !== undefined) {
            early.snapshot.catch(() => undefined);
            snapshots.push(laterRelease(early.snapshot));
          }
          let snapshot =
            early === undefined
              ? await clocked('snapshot', () => snapshotOf(metaRef, streamRange))
              : { ...emptySnapshot(), storedFiles: await early.listed };
          if (early === undefined) snapshots.push(snapshot);
          const [schema, stream, deleting] = await meta;
          const wanted = terms.get(ref.name) ?? [];
          const ids = traceIds.get(ref.name) ?? [];
          const fields = streamFtsKeys(stream?.settings, schema?.fields);
          let {
            kept,
            pruned: ruledOut,
            ranges,
          } = await clocked('prune', () => prune(snapshot.storedFiles, wanted, ids, fields));
          let own: readonly StoredFileEntry[] = kept;
          let remote: RemoteScan | undefined;
          let late: Promise<LateRows> | undefined;
          // An enrichment table is small and read whole: the leader reads all of it (the scan
          // RPC carries ingestible kinds only).
          if (deps.fileSplit !== undefined && !allRows) {
            // The workers bind their views with this query's schema (no metastore read there).
            const bound = { schema: schema?.fields ?? [], settings: stream?.settings ?? {} };
            let split = await clocked('split_list', () =>
              deps.fileSplit!.split(metaRef, kept, range, bound, ranges),
            );
            if (early !== undefined && split.ask === undefined) {
              // Every file is this querier's: nothing to overlap, take the whole snapshot now.
              snapshot = await clocked('snapshot', () => early.snapshot);
              ({
                kept,
                pruned: ruledOut,
                ranges,
              } = await prune(snapshot.storedFiles, wanted, ids, fields));
              split = await deps.fileSplit.split(metaRef, kept, range, bound, ranges);
            } else if (early !== undefined) {
              const listed = snapshot.storedFiles;
              late = early.snapshot.then(async (whole) => {
                const added = addedFiles(listed, whole.storedFiles);
                const extra = await prune(added, wanted, ids, fields);
                pruned += extra.pruned;
                scanned += extra.kept.length + whole.localFiles.length;
                const paths = extra.kept.map((f) => files.localPath(storedFileKey(f)));
                return {
                  tables: whole.tables,
                  parquetFiles: [...(await Promise.all(paths)), ...whole.localFiles],
                };
              });
              late.catch(() => undefined);
            }
            own = split.local;
            addNodes(split.nodes);
            const ask = split.ask;
            if (ask !== undefined)
              remote = async (sql, asked) => {
                const answer = await ask(sql, asked);
                addNodes(answer.nodes);
                const taken = answer.unavailable.map((f) => files.localPath(storedFileKey(f)));
                return { ...answer, files: await Promise.all(taken) };
              };
          }
          pruned += ruledOut;
          scanned += kept.length + snapshot.localFiles.length;
          const stored = await clocked('local_paths', () =>
            Promise.all(own.map((f) => files.localPath(storedFileKey(f)))),
          );
          const rowRanges = rangesByPath(stored, (i) => ranges.get(storedFileKey(own[i]!)));
          sources.push({
            name: ref.name,
            type: streamType,
            // A table being deleted is gone (its schema stays until the compactor is done).
            schema: (deleting === undefined ? (schema?.fields ?? []) : []) as StreamField[],
            parquetFiles: [...stored, ...snapshot.localFiles],
            ...(rowRanges.size > 0 ? { rowRanges } : {}),
            ...listedFiles(own, stored),
            tables: snapshot.tables,
            ...(remote === undefined ? {} : { remote }),
            ...(late === undefined ? {} : { late }),
            settings: stream?.settings ?? {},
            ...(allRows ? { allRows } : {}),
          });
        }
      } catch (error) {
        snapshots.forEach((s) => s.release());
        endRead();
        throw error;
      }
      // Getters: a late share adds its files while the query runs.
      return {
        sources,
        get scanned() {
          return scanned;
        },
        get pruned() {
          return pruned;
        },
        nodes,
        release: () => {
          snapshots.forEach((s) => s.release());
          endRead();
        },
      };
    },

    async storedSource(ref, stored, known, rowRanges) {
      const [schema, stream, parquetFiles] = await clocked('worker_meta', () =>
        Promise.all([
          known === undefined ? metaStore.schemas.latest(ref) : { fields: known.schema },
          known === undefined ? metaStore.streams.get(ref) : { settings: known.settings },
          Promise.all(stored.map((f) => files.localPath(storedFileKey(f)))),
        ]),
      );
      // Read as the leader reads its own share: only the rows its token index left.
      const ranges = rangesByPath(parquetFiles, (i) => rowRanges?.[i]);
      // Sized as the leader sizes its own share: a querier leads queries over the very files it
      // reads as a worker (rendezvous owner either way), and a file versioned by `stat` here but
      // by the listed size there thrashed the engine's per-file footer caches on every query.
      return {
        name: ref.name,
        type: ref.type,
        schema: (schema?.fields ?? []) as StreamField[],
        parquetFiles,
        ...(ranges.size > 0 ? { rowRanges: ranges } : {}),
        ...listedFiles(stored, parquetFiles),
        tables: [],
        settings: stream?.settings ?? {},
      };
    },
  };
}
