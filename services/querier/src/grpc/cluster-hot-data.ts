import { AppError, isAppError } from '@o2/errors';
import type { Cluster } from '@o2/cluster';
import { PeerClientPool } from '@o2/grpc';
import type { Logger } from '@o2/logger';
import type { MetaStore, StoredFileEntry, StreamRef } from '@o2/metastore';
import { HotDataService, collectHotData, encodeHotDataRequest } from '@o2/proto';
import type { FileEntry } from '@o2/domain';
import { clocked } from '@o2/search';
import { RecordBatchReader, Table } from 'apache-arrow';
import type { BegunSnapshot, HotDataSource, HotSnapshot } from '../querier-types.js';
import { joinFileLists } from './join-file-lists.js';

export interface ClusterHotDataOptions {
  cluster: Cluster;
  metaStore: MetaStore;
  token: string;
  logger: Logger;
  maxMessageBytes: number;
  /** Deadline of one ingester's HotData call. */
  timeoutMs: number;
  /** ZO_NODE_HEARTBEAT_TTL in ms: an ingester whose heartbeat is older is "late", not gone. */
  nodeTtlMs?: number;
}

/** Every Arrow IPC stream in the concatenated chunks, as one table each. */
export function tablesOfIpc(chunks: readonly Uint8Array[]): Table[] {
  if (chunks.length === 0) return [];
  const tables: Table[] = [];
  for (const reader of RecordBatchReader.readAll(Buffer.concat(chunks))) {
    const batches = [...reader];
    if (batches.length > 0) tables.push(new Table(batches));
  }
  return tables;
}

const fileKey = (f: { date: string; file: string }) => `${f.date}/${f.file}`;
/** Snapshots taken before giving up while compactions keep landing mid-query. */
const MAX_SNAPSHOT_ATTEMPTS = 5;

/** A file_list read of the leader: when it began (`performance.now()`) and its rows. */
interface Listed {
  at: number;
  files: Promise<StoredFileEntry[]>;
}

/**
 * Hot data of a querier without a local ingester: file_list read once here, then every live
 * ingester's `HotData` (memtable rows and local files as Arrow, plus the files it saw
 * registered). Files are joined by key (`joinFileLists`): one uploaded between our file_list
 * read and the ingesters' snapshots joins when every ingester saw it, and its rows are then in
 * no ingester's Arrow; when they disagree the snapshot is taken again. A failing ingester fails
 * the query: answering without its rows would be silently wrong.
 */
export class ClusterHotData implements HotDataSource {
  private readonly clients: PeerClientPool;

  constructor(private readonly options: ClusterHotDataOptions) {
    this.clients = new PeerClientPool(options);
  }

  /**
   * One consistent snapshot. Its file list joins reads taken at different instants (ours and each
   * ingester's), so a compaction that committed in between could put a merged file beside the
   * small files it replaced and count their rows twice. When an ingester reported a file our read
   * lacked, the joined list is checked against file_list once more: a file no longer live means a
   * replacement happened meanwhile, and the snapshot is taken again (the replaced files' objects
   * stay for ZO_COMPACT_DELETE_FILES_DELAY_MINUTES, so a list that holds only them is still good).
   */
  snapshot(ref: StreamRef, range: { startTs: number; endTs: number }): Promise<HotSnapshot> {
    return this.begin(ref, range).snapshot;
  }

  /**
   * `snapshot`, plus this querier's file_list read as soon as it is in: the stored files a query
   * may already split over the queriers while the ingesters answer. The snapshot's stored files
   * hold every file of that read unless a compaction replaced some meanwhile.
   */
  begin(ref: StreamRef, range: { startTs: number; endTs: number }): BegunSnapshot {
    const listedAt = performance.now();
    const listed = clocked('file_list', () => this.options.metaStore.fileList.query(ref, range));
    const snapshot = this.settled(ref, range, { at: listedAt, files: listed });
    return { listed, snapshot };
  }

  private async settled(
    ref: StreamRef,
    range: { startTs: number; endTs: number },
    listed: Listed,
  ): Promise<HotSnapshot> {
    // Uploaders' files found no longer live: replaced or deleted before the next read.
    const dead = new Set<string>();
    for (let attempt = 1; ; attempt++) {
      const { snapshot, joined, consistent, owned, stale } = await this.snapshotOnce(
        ref,
        range,
        attempt === 1 ? listed : undefined,
        dead,
      );
      if (!stale && !joined) return snapshot;
      if (consistent && !stale) {
        const again = clocked('file_list_again', () =>
          this.options.metaStore.fileList.query(ref, range),
        );
        const live = new Set((await again).map(fileKey));
        const gone = snapshot.storedFiles.map(fileKey).filter((key) => !live.has(key));
        if (gone.length === 0) return snapshot;
        // An uploader names a file only once registered: not live now, it was compacted or
        // deleted, and the next read holds its replacement.
        for (const key of gone) if (owned.has(key)) dead.add(key);
      }
      if (attempt >= MAX_SNAPSHOT_ATTEMPTS) {
        throw new AppError('UNAVAILABLE', 'stored files kept changing during the query; retry');
      }
      this.options.logger.debug({ stream: ref.name, attempt }, 'file list changed; snapshot again');
    }
  }

  private async snapshotOnce(
    ref: StreamRef,
    range: { startTs: number; endTs: number },
    /** This attempt's file_list read when already begun. */
    listed: Listed | undefined,
    dead: ReadonlySet<string>,
  ): Promise<{
    snapshot: HotSnapshot;
    joined: boolean;
    consistent: boolean;
    owned: Set<string>;
    stale: boolean;
  }> {
    const { cluster, metaStore, timeoutMs } = this.options;
    // A slow ingester (late heartbeat under load) still holds acknowledged rows: ask it too.
    // Only a late one that then proves unreachable is left out — it is down, its WAL keeps the
    // rows, and they come back when it restarts. A failure of a fresh one fails the query.
    // The listing runs beside the file_list read; the HotData calls must start after that read.
    const ttlMs = this.options.nodeTtlMs ?? 30_000;
    const listedAt = listed?.at ?? performance.now();
    const [storedFiles, nodes] = await Promise.all([
      listed?.files ?? clocked('file_list', () => metaStore.fileList.query(ref, range)),
      clocked('ingester_list', () => cluster.nodes.list('ingester', { staleGraceMs: 3 * ttlMs })),
    ]);
    const now = Date.now();
    // A restarted ingester on the same address is listed twice until its old registration
    // lapses; asking that address twice would count its rows twice. Keep its freshest record.
    const byAddress = new Map<string, number>();
    for (const node of nodes) {
      byAddress.set(node.grpcAddr, Math.max(byAddress.get(node.grpcAddr) ?? 0, node.heartbeatAt));
    }
    const settled = await clocked('hot_data', () =>
      Promise.all(
        [...byAddress].map(async ([address, heartbeatAt]) => {
          try {
            return await this.hotDataOf(address, ref, range, timeoutMs, listedAt);
          } catch (error) {
            const late = now - heartbeatAt >= ttlMs;
            if (late && isAppError(error) && error.code === 'UNAVAILABLE') {
              this.options.logger.warn(
                { ingester: address },
                'late ingester unreachable; left out of the query',
              );
              return undefined;
            }
            throw error;
          }
        }),
      ),
    );
    const answers = settled.filter((a): a is NonNullable<typeof a> => a !== undefined);
    const { files, joined, consistent, owned } = joinFileLists(storedFiles, answers, dead);
    const snapshot: HotSnapshot = {
      tables: answers.flatMap((a) => a.tables),
      localFiles: [],
      storedFiles: files,
      release: () => undefined,
    };
    // An ingester that started after this read may not know a file its earlier run uploaded.
    const stale = answers.some((a) => a.stale);
    return { snapshot, joined, consistent, owned, stale };
  }

  private async hotDataOf(
    address: string,
    ref: StreamRef,
    range: { startTs: number; endTs: number },
    timeoutMs: number,
    listedAt: number,
  ): Promise<{
    tables: ReturnType<typeof tablesOfIpc>;
    registered: FileEntry[];
    ownUploads: boolean;
    stale: boolean;
  }> {
    const answer = await collectHotData(
      ref,
      this.clients
        .client(address)
        .service(HotDataService)
        .hotData(encodeHotDataRequest({ queryId: '', ref, range, columns: [] }), { timeoutMs }),
    );
    const { ownUploadsMs } = answer;
    // Measured now, after the snapshot: longer than the read-to-snapshot span, so on the safe side.
    const sinceRead = performance.now() - listedAt;
    const stale = ownUploadsMs !== undefined && ownUploadsMs <= sinceRead;
    // An upload registered before the read began is in it, or what replaced it is.
    const ages = answer.registeredMsAgo ?? [];
    const registered =
      ownUploadsMs === undefined
        ? answer.registered
        : answer.registered.filter((_, i) => (ages[i] ?? 0) <= sinceRead);
    const tables = tablesOfIpc(answer.chunks);
    return { tables, registered, ownUploads: ownUploadsMs !== undefined, stale };
  }

  close(): void {
    this.clients.close();
  }
}
