import type { Config } from '@o2/config';
import { LocalObjectStore } from './local-object-store.js';
import type { ObjectStore } from './object-store.js';
import { connectS3ObjectStore } from './s3-object-store.js';
import { s3OptionsFromConfig } from './s3-options-from-config.js';
import type { S3Config } from './s3-options-from-config.js';

export type ObjectStoreConfig = Pick<Config, 'objectStorage' | 'ZO_DATA_STREAM_DIR'> & S3Config;

/**
 * The object store the configuration asks for: files under `ZO_DATA_STREAM_DIR` in disk mode,
 * otherwise the S3 bucket, created when missing and checked to answer (UNAVAILABLE if not).
 */
export async function createObjectStore(config: ObjectStoreConfig): Promise<ObjectStore> {
  if (config.objectStorage === 'disk') return new LocalObjectStore(config.ZO_DATA_STREAM_DIR);
  return connectS3ObjectStore(s3OptionsFromConfig(config));
}
