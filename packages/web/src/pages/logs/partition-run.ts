import type { SearchResponse } from '@o2/api-schemas';
import type { Bucket } from './histogram-buckets';

/**
 * Where one page of rows falls across partitions searched newest first: each partition is asked
 * for the rows still to skip and still wanted (and its own total), so page N of the whole range
 * is stitched from the partitions that hold it.
 */
export class PageCursor {
  private skip: number;
  private need: number;

  constructor(from: number, size: number) {
    this.skip = from;
    this.need = size;
  }

  /**
   * `from`/`size` for the next partition. Once the page is full a partition is still searched
   * for its total (size 1), so the "of N events" stays the whole range's.
   */
  next(): { from: number; size: number } {
    return { from: this.skip, size: this.need > 0 ? this.need : 1 };
  }

  /** A partition answered: its total, and how many of its rows the page received. */
  record(partitionTotal: number, received: number): void {
    if (this.need <= 0) return;
    if (partitionTotal <= this.skip) {
      this.skip -= partitionTotal;
      return;
    }
    this.skip = 0;
    this.need -= received;
  }

  get wanting(): boolean {
    return this.need > 0;
  }
}

/** Adds a partition's bucket counts into the whole range's (a bucket split by a cut sums). */
export function addBuckets(all: Bucket[], found: Bucket[]): Bucket[] {
  const counts = new Map(found.map((b) => [b.start, b.count]));
  return all.map((b) => {
    const more = counts.get(b.start);
    return more === undefined ? b : { start: b.start, count: b.count + more };
  });
}

/** One partition's part of the query profile. */
export interface PartitionProfile {
  start: number;
  end: number;
  took: number;
  searchTook: number;
  fileListTook: number;
  files: number;
  pruned: number;
  records: number;
  scanMb: number;
  total: number;
}

/** What a run cost, on demand (O2 keeps this enterprise-only). */
export interface QueryProfile {
  plan?: { files: number; records: number; originalSize: number; compressedSize: number };
  partitions: PartitionProfile[];
}

export function partitionProfile(
  range: [number, number],
  response: SearchResponse,
): PartitionProfile {
  return {
    start: range[0],
    end: range[1],
    took: response.took,
    searchTook: response.took_detail?.search_took ?? 0,
    fileListTook: response.took_detail?.file_list_took ?? 0,
    files: response.scan_files ?? 0,
    pruned: response.pruned_files ?? 0,
    records: response.scan_records,
    scanMb: response.scan_size,
    total: response.total,
  };
}

/** The profile's totals over every partition searched so far. */
export function profileTotals(profile: QueryProfile): Omit<PartitionProfile, 'start' | 'end'> {
  const sum = (key: keyof PartitionProfile) =>
    profile.partitions.reduce((acc, p) => acc + p[key], 0);
  return {
    took: sum('took'),
    searchTook: sum('searchTook'),
    fileListTook: sum('fileListTook'),
    files: sum('files'),
    pruned: sum('pruned'),
    records: sum('records'),
    scanMb: Math.round(sum('scanMb') * 1000) / 1000,
    total: sum('total'),
  };
}
