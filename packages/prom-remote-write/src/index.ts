export { decodeRemoteWrite, decodeWriteRequest } from './decode-remote-write.js';
export type {
  DecodeRemoteWriteOptions,
  DecodedRemoteWrite,
  RemoteWriteRejections,
} from './decode-remote-write.js';
export { encodeRemoteWrite, encodeWriteRequest } from './encode-remote-write.js';
export type {
  RemoteWriteHistogram,
  RemoteWriteMetadata,
  RemoteWriteSeries,
} from './encode-remote-write.js';
export { HaDedup } from './ha-dedup.js';
export type { HaDedupOptions, HaLeader, HaLeaderStore } from './ha-dedup.js';
export { seriesLabels } from './series-labels.js';
export { classicBuckets } from './classic-buckets.js';
export type { ClassicBucket } from './classic-buckets.js';
export { familyMetadata, metricTypeOf } from './family-metadata.js';
export { readWriteRequest } from './read-write-request.js';
export { readWireWriteRequest } from './write-request-reader.js';
export type { WireLabel, WireSeries, WireWriteRequest } from './write-request-reader.js';
export { compressSnappyBlock, decompressSnappyBlock } from './snappy-block.js';
export { isStaleMarker, staleMarker } from './stale-marker.js';
export { storedNativeHistogram } from './stored-native-histogram.js';
