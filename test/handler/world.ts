import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { validatorConfig, type ValidatorConfig } from '../../lambda/wire/config';
import { functionDecoder } from '../../lambda/handler/function-decoder';
import { createHandler, type HandlerDeps } from '../../lambda/handler/handler';
import { type StoredReport } from '../../lambda/bucket/report-store';
import { type RetryNotice, type RetryPolicy } from '../../lambda/bucket/retry';
import type { DecodePool } from '../../lambda/validation';
import { AwsRecorder } from '../doubles/aws-stand-in';
import { SOURCE_DECODER_SCRIPT } from '../support/decoder';
import { FaultProxy } from '../support/fault-proxy';
import { type S3Server, startS3Server } from '../doubles/s3-server';
import { scheduledCheck } from '../../lambda/wire/scheduled-check';
import { s3EventRecord, sqsEvent } from '../doubles/s3-notifications';

export const BUCKET = 'statsig-ingest';
export const TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:statsig-alerts';
export const BUS = 'statsig-ingestion-bus';

/** Fast retries so that a test can make several fail and still finish in well under a second. */
export const TEST_RETRY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 };

/**
 * The handler wired as in Lambda, except that S3 traffic goes through the fault proxy to a real S3 server and
 * EventBridge and SNS traffic to the recorder. `direct` talks to the S3 server without faults, for setup and checks.
 */
export interface World {
  readonly server: S3Server;
  readonly proxy: FaultProxy;
  readonly recorder: AwsRecorder;
  readonly direct: S3Client;
  readonly config: ValidatorConfig;
  readonly retries: RetryNotice[];
  readonly logs: { level: string; message: string; outcome?: { kind: string; reason?: string } }[];
  readonly metrics: Metrics;
  /** The handler's decoder, stopped with the world. */
  readonly decoder: DecodePool;
  run(event: SQSEvent): Promise<SQSBatchResponse>;
  /** What the construct's schedule sends: evaluate readiness now. */
  scheduledCheck(): Promise<void>;
  /** Uploads, then delivers the notification S3 would send for it; returns the bare ETag. */
  upload(key: string, body: Uint8Array | string): Promise<string>;
  /** `context`: the Lambda invocation's, when the test needs its deadline. */
  notify(key: string, eTag?: string, context?: Context): Promise<SQSBatchResponse>;
  exists(key: string): Promise<boolean>;
  report(key: string): Promise<StoredReport | undefined>;
  reset(): void;
  stop(): Promise<void>;
}

export interface WorldOptions extends Partial<Pick<HandlerDeps, 'rangeLimits' | 'readiness' | 'now'>> {
  /** More of the function's configuration, e.g. the readiness mode. */
  readonly config?: Partial<ValidatorConfig>;
}

export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const { config: given, ...overrides } = options;
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  const server = await startS3Server([BUCKET]);
  const proxy = await FaultProxy.start(server.port);
  const recorder = await AwsRecorder.start();
  const direct = server.client();
  const config = validatorConfig({
    eventBusName: BUS,
    alertsTopicArn: TOPIC_ARN,
    idTypes: ['user_id', 'stable_id', 'company_id'],
    // The tests' days lie in 2024, long before the lookback a first evaluation would record today.
    readinessStartDay: '2024-01-01',
    ...given,
  });

  const retries: RetryNotice[] = [];
  const logs: World['logs'] = [];
  const logger = new Logger({ serviceName: 'statsig-validator-test', logLevel: 'SILENT' });
  for (const level of ['info', 'warn', 'error'] as const) {
    const original = logger[level].bind(logger);
    jest.spyOn(logger, level).mockImplementation((message: unknown, ...extras: unknown[]) => {
      const outcome = (extras[0] as { outcome?: { kind: string; reason?: string } } | undefined)?.outcome;
      logs.push({ level, message: String(message), outcome });
      original(message as string, ...(extras as []));
    });
  }
  const metrics = new Metrics({ namespace: 'StatsigS3IngestionTest', serviceName: 'statsig-validator-test' });
  const onRetry = (notice: RetryNotice) => retries.push(notice);
  const clients = recorder.clients(proxy.endpoint, TEST_RETRY, onRetry);
  const decoder = functionDecoder(config, SOURCE_DECODER_SCRIPT);
  const handler = createHandler({
    config,
    clients,
    logger,
    metrics,
    retry: TEST_RETRY,
    onRetry,
    decoder,
    ...overrides,
  });

  const exists = async (key: string) => {
    try {
      await direct.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
      return true;
    } catch {
      return false;
    }
  };
  const upload = async (key: string, body: Uint8Array | string) => {
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    const put = await direct.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: bytes, ContentLength: bytes.byteLength }),
    );
    return put.ETag!.replace(/"/g, '');
  };

  return {
    server,
    proxy,
    recorder,
    direct,
    config,
    retries,
    logs,
    metrics,
    decoder,
    run: (event) => handler(event),
    scheduledCheck: () => handler(scheduledCheck(BUCKET)),
    upload,
    notify: async (key, eTag, context) => handler(sqsEvent(s3EventRecord(BUCKET, key, { eTag })), context),
    exists,
    report: async (key) => {
      if (!(await exists(`${config.reportsPrefix}${key}.json`))) return undefined;
      const response = await direct.send(
        new GetObjectCommand({ Bucket: BUCKET, Key: `${config.reportsPrefix}${key}.json` }),
      );
      return JSON.parse(await response.Body!.transformToString()) as StoredReport;
    },
    reset: () => {
      proxy.reset();
      recorder.clear();
      retries.length = 0;
      logs.length = 0;
    },
    stop: async () => {
      clients.s3.destroy();
      clients.eventBridge.destroy();
      clients.sns.destroy();
      clients.secretsManager.destroy();
      await Promise.all([proxy.stop(), recorder.stop(), decoder.close()]);
      await server.stop();
    },
  };
}

/** A Lambda invocation's context whose remaining time stays at `remainingMs`. */
export function invocation(remainingMs: number): Context {
  return {
    functionName: 'validator',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:validator',
    memoryLimitInMB: '2048',
    awsRequestId: 'request',
    logGroupName: '/aws/lambda/validator',
    logStreamName: 'stream',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => remainingMs,
  } as Context;
}
