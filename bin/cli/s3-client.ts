import type { Writable } from 'node:stream';
import { S3Client } from '@aws-sdk/client-s3';
import { DEFAULT_RETRY_POLICY, type RetryObserver } from '../../lambda/bucket/retry';
import { retryStrategy } from '../../lambda/bucket/sdk-retry-strategy';

export interface S3ClientFlags {
  readonly profile?: string;
  readonly region?: string;
  readonly endpointUrl?: string;
}

/**
 * A client on the SDK's default credential chain (environment, SSO, shared files, instance roles), narrowed by the
 * flags as the AWS CLI's flags of the same names narrow it. An endpoint of its own is an S3-compatible server, which
 * takes path-style addresses.
 */
export function cliS3Client(flags: S3ClientFlags, onRetry: RetryObserver): S3Client {
  return new S3Client({
    profile: flags.profile,
    region: flags.region,
    retryStrategy: retryStrategy(DEFAULT_RETRY_POLICY, onRetry),
    ...(flags.endpointUrl ? { endpoint: flags.endpointUrl, forcePathStyle: true } : {}),
  });
}

/** Retries are told on stderr: a long run that slows down says why. */
export function toldRetries(stderr: Writable): RetryObserver {
  return (notice) => stderr.write(`retrying an S3 request after ${notice.errorType} (attempt ${notice.attempt})\n`);
}
