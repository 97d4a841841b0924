import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { type RetryObserver, type RetryPolicy } from './retry';
import { retryStrategy } from './sdk-retry-strategy';

export interface AwsClients {
  readonly s3: S3Client;
  readonly eventBridge: EventBridgeClient;
  readonly sns: SNSClient;
  /** Only called in api readiness mode, for Statsig's server secret. */
  readonly secretsManager: SecretsManagerClient;
}

export interface AwsClientOptions {
  readonly retry: RetryPolicy;
  readonly onRetry: RetryObserver;
  /** Tests point every client at local servers; in Lambda the SDK's defaults apply. */
  readonly endpoints?: {
    readonly s3: string;
    readonly eventBridge: string;
    readonly sns: string;
    readonly secretsManager?: string;
  };
  readonly region?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/**
 * A socket that goes quiet must become a retryable timeout, not hang until the Lambda times out and takes the whole
 * batch with it.
 */
const requestHandler = { connectionTimeout: 5_000, requestTimeout: 30_000 };

/** Constructing clients is cheap (no network): done once at cold start and reused by every invocation. */
export function createAwsClients(options: AwsClientOptions): AwsClients {
  const common = {
    region: options.region,
    credentials: options.credentials,
    retryStrategy: retryStrategy(options.retry, options.onRetry),
    requestHandler,
  };
  // S3-compatible test servers take path-style addresses and cannot verify the SDK's default streaming checksums.
  const local = options.endpoints
    ? ({
        endpoint: options.endpoints.s3,
        forcePathStyle: true,
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      } as const)
    : {};
  return {
    s3: new S3Client({ ...common, ...local }),
    eventBridge: new EventBridgeClient({ ...common, endpoint: options.endpoints?.eventBridge }),
    sns: new SNSClient({ ...common, endpoint: options.endpoints?.sns }),
    secretsManager: new SecretsManagerClient({ ...common, endpoint: options.endpoints?.secretsManager }),
  };
}
