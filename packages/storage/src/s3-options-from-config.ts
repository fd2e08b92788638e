import type { Config } from '@o2/config';
import type { S3ObjectStoreOptions } from './s3-object-store.js';

export type S3Config = Pick<
  Config,
  | 'ZO_S3_SERVER_URL'
  | 'ZO_S3_REGION_NAME'
  | 'ZO_S3_ACCESS_KEY'
  | 'ZO_S3_SECRET_KEY'
  | 'ZO_S3_BUCKET_NAME'
  | 'ZO_S3_BUCKET_PREFIX'
  | 'ZO_S3_FEATURE_FORCE_HOSTED_STYLE'
  | 'ZO_S3_ALLOW_INVALID_CERTIFICATES'
>;

/** The S3 store options that the `ZO_S3_*` settings describe. */
export function s3OptionsFromConfig(config: S3Config): S3ObjectStoreOptions {
  return {
    endpoint: config.ZO_S3_SERVER_URL,
    region: config.ZO_S3_REGION_NAME,
    accessKey: config.ZO_S3_ACCESS_KEY,
    secretKey: config.ZO_S3_SECRET_KEY,
    bucket: config.ZO_S3_BUCKET_NAME,
    prefix: config.ZO_S3_BUCKET_PREFIX,
    hostedStyle: config.ZO_S3_FEATURE_FORCE_HOSTED_STYLE,
    allowInvalidCertificates: config.ZO_S3_ALLOW_INVALID_CERTIFICATES,
  };
}
