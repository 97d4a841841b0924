import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { type Construct } from 'constructs';
import { READINESS_STATE_FOLDERS } from '../../lambda/wire/environment';
import type { ResolvedProps } from './resolve-props';

export interface IngestionBuckets {
  readonly bucket: s3.IBucket;
  /** Undefined for an imported bucket: its logging is not ours to change. */
  readonly logBucket?: s3.IBucket;
}

const HARDENING: Pick<
  s3.BucketProps,
  'blockPublicAccess' | 'enforceSSL' | 'minimumTLSVersion' | 'objectOwnership' | 'removalPolicy' | 'versioned'
> = {
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  enforceSSL: true,
  minimumTLSVersion: 1.2,
  objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
  // The data and its audit trail outlive the stack: deleting it must be a deliberate act.
  removalPolicy: RemovalPolicy.RETAIN,
  versioned: true,
};

/** The data bucket (created hardened, or the user's own) and, for a created one, its access-log bucket. */
export function ingestionBuckets(scope: Construct, props: ResolvedProps): IngestionBuckets {
  if (props.bucket) return { bucket: props.bucket };

  const logBucket = new s3.Bucket(scope, 'AccessLogs', {
    ...HARDENING,
    // S3 server access logging can only deliver to a bucket encrypted with SSE-S3.
    encryption: s3.BucketEncryption.S3_MANAGED,
    lifecycleRules: [
      {
        id: 'ExpireAccessLogs',
        expiration: props.accessLogRetention,
        noncurrentVersionExpiration: Duration.days(1),
      },
    ],
  });
  const { reportsPrefix, quarantinePrefix, statePrefix } = props.functionSettings;
  // The product's own objects expire; the readiness state (what Statsig was told) and the data never do.
  const productPrefixes = [
    reportsPrefix,
    quarantinePrefix,
    ...Object.values(READINESS_STATE_FOLDERS).map((folder) => `${statePrefix}${folder}`),
  ];
  const bucket = new s3.Bucket(scope, 'Bucket', {
    ...HARDENING,
    ...(props.encryptionKey
      ? { encryption: s3.BucketEncryption.KMS, encryptionKey: props.encryptionKey, bucketKeyEnabled: true }
      : { encryption: s3.BucketEncryption.S3_MANAGED }),
    serverAccessLogsBucket: logBucket,
    serverAccessLogsPrefix: 'data-bucket/',
    lifecycleRules: [
      {
        id: 'ExpireNoncurrentVersions',
        noncurrentVersionExpiration: props.noncurrentVersionExpiration,
        // Parts of an abandoned multipart upload are billed but invisible in listings.
        abortIncompleteMultipartUploadAfter: Duration.days(7),
      },
      ...productPrefixes.map((prefix) => ({
        id: `Expire ${prefix}`,
        prefix,
        expiration: props.productObjectRetention,
      })),
    ],
  });
  return { bucket, logBucket };
}
