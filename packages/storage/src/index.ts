export type { ObjectBody, ObjectMeta, ObjectStore } from './object-store.js';
export { checkObjectKey, checkObjectPrefix, compareKeys } from './object-key.js';
export { LocalObjectStore } from './local-object-store.js';
export { S3ObjectStore, connectS3ObjectStore } from './s3-object-store.js';
export type { S3ObjectStoreOptions } from './s3-object-store.js';
export { s3OptionsFromConfig } from './s3-options-from-config.js';
export type { S3Config } from './s3-options-from-config.js';
export { createObjectStore } from './create-object-store.js';
export type { ObjectStoreConfig } from './create-object-store.js';
