export { describePasswordProblems, passwordProblems } from './password-policy.js';
export { isValidEmail, normalizeEmail } from './email.js';
export {
  ASSIGNABLE_ROLES,
  USER_ROLES,
  canManageUsers,
  isUserRole,
  outranks,
  parseRole,
} from './roles.js';
export type { UserRole } from './roles.js';
export {
  DEFAULT_ORG,
  META_ORG,
  isValidOrgIdentifier,
  isValidOrgName,
  orgIdentifierFromName,
} from './organization.js';
export type {
  BulkItem,
  BulkResponse,
  IngestFormat,
  IngestRequest,
  IngestResult,
  IngestService,
  IngesterControl,
  QuarantinedPartition,
  HotStreamStats,
  IngestionResponse,
  OtlpExportResult,
  OtlpFormat,
  StreamIngestStatus,
} from './ingest.js';
export {
  FILE_STREAM_TYPES,
  STREAM_KINDS,
  STREAM_TYPES,
  isFileStreamType,
  isStreamKind,
  isStreamType,
  parseStreamKind,
} from './stream-types.js';
export type { FileStreamType, StreamKind, StreamRef, StreamType } from './stream-types.js';
export {
  fileKey,
  isDataFileKey,
  parseFileKey,
  relativeFileKey,
  sanitizePartitionValue,
  storedFileKey,
  storedObjectKeys,
  tokenIndexKey,
  traceIdIndexKey,
} from './object-keys.js';
export { fileEntrySchema } from './file-entry.js';
export type { FileEntry } from './file-entry.js';
export {
  EVENT_SCHEMAS,
  FILE_ADDED_TOPIC,
  SCHEMA_CHANGED_TOPIC,
  PIPELINE_CHANGED_TOPIC,
  STREAM_DELETION_REQUESTED_TOPIC,
  DATA_DELETION_REQUESTED_TOPIC,
  publishEvent,
  subscribeEvent,
} from './events.js';
export type { EventBus, EventLogger, EventPayload, EventTopic } from './events.js';
export type { FileKeyParts, ParsedFileKey, PartitionPair, StoredObjectRef } from './object-keys.js';
export type {
  AroundQuery,
  SearchQuery,
  SearchResponseBody,
  SearchService,
  ValuesQuery,
} from './search.js';
export type {
  PromAnswer,
  PromExemplarsQuery,
  PromInstantQuery,
  PromMetadataQuery,
  PromRangeQuery,
  PromSeriesQuery,
  PromqlService,
} from './promql.js';
export { DEFAULT_FTS_FIELDS } from './full-text.js';
export {
  IDEMPOTENCY_KEY_PATTERN,
  OTLP_FORMATS,
  addHotStats,
  idempotencyKeyProblem,
  isOtlpFormat,
  otlpFormatOf,
} from './ingest.js';
export {
  MAX_ORG_ID_LENGTH,
  MAX_STREAM_NAME_LENGTH,
  checkOrgId,
  checkStreamName,
  orgIdProblem,
  resolveStreamName,
  streamNameProblem,
} from './names.js';
export type { StreamNameOptions } from './names.js';
export { FUNCTION_TRANS_TYPES, isFunctionTransType } from './functions.js';
export type {
  FunctionDefinition,
  FunctionStreamOrder,
  FunctionTransType,
  StoredFunction,
} from './functions.js';
export { FIELD_TYPES, isFieldType } from './field-types.js';
export type { FieldType } from './field-types.js';
