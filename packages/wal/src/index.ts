export { openWal } from './open-wal.js';
export type { SegmentId, SegmentInfo, Wal, WalOptions, WalPosition, WalRecord } from './wal.js';
export type { TailRecovery } from './recover-dir.js';
export type { StopReason } from './segment-reader.js';
export { MAX_ENTRY_BYTES } from './segment-format.js';
