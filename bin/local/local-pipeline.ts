import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { type AwsClients } from '../../lambda/bucket/aws-clients';
import { listObjects } from '../../lambda/bucket/listing';
import { validatorConfig, type ValidatorConfig } from '../../lambda/wire/config';
import { functionDecoder } from '../../lambda/handler/function-decoder';
import { createHandler, type ValidatorHandler } from '../../lambda/handler/handler';
import { DEFAULT_RETRY_POLICY } from '../../lambda/bucket/retry';
import { COMPILED_DECODER_SCRIPT, type DecodePool } from '../../lambda/validation';
import { AwsRecorder, type RecordedAlert, type RecordedEvent } from '../../test/doubles/aws-stand-in';
import { s3EventRecord, sqsEvent } from '../../test/doubles/s3-notifications';
import { startS3Server, type S3Server } from '../../test/doubles/s3-server';

export const LOCAL_BUCKET = 'statsig-ingest-local';
const LOCAL_TOPIC = 'arn:aws:sns:us-east-1:000000000000:statsig-local-alerts';

/** What one delivery of notifications produced, read from the EventBridge and SNS stand-in. */
export interface Outcome {
  readonly events: readonly RecordedEvent[];
  readonly alerts: readonly RecordedAlert[];
  readonly failedRecords: number;
}

/**
 * The deployed product, on 127.0.0.1: a real S3-compatible server, a stand-in for EventBridge and SNS, and the
 * validator's real handler (in this process) fed the notifications S3 would send through SQS.
 */
export class LocalPipeline {
  private readonly notified = new Set<string>();

  private constructor(
    readonly s3Server: S3Server,
    readonly aws: AwsRecorder,
    readonly s3: S3Client,
    readonly config: ValidatorConfig,
    private readonly clients: AwsClients,
    private readonly handler: ValidatorHandler,
    private readonly decoder: DecodePool,
  ) {}

  static async start(dataDirectory?: string): Promise<LocalPipeline> {
    // The handler's embedded metrics go to stdout in Lambda; here they would drown the story. So would the SDK's
    // notice about Node versions of future SDK releases: this package pins its SDK.
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    const s3Server = await startS3Server([LOCAL_BUCKET], dataDirectory);
    const aws = await AwsRecorder.start();
    const config = validatorConfig({ eventBusName: 'statsig-local', alertsTopicArn: LOCAL_TOPIC });
    const onRetry = () => undefined;
    const clients = aws.clients(s3Server.endpoint, DEFAULT_RETRY_POLICY, onRetry);
    const decoder = functionDecoder(config, COMPILED_DECODER_SCRIPT);
    const handler = createHandler({
      decoder,
      config,
      clients,
      logger: new Logger({ serviceName: 'statsig-validator-local', logLevel: 'ERROR' }),
      metrics: new Metrics({ namespace: 'StatsigS3IngestionLocal', serviceName: 'statsig-validator-local' }),
      retry: DEFAULT_RETRY_POLICY,
      onRetry,
    });
    return new LocalPipeline(s3Server, aws, s3Server.client(), config, clients, handler, decoder);
  }

  /** Uploads as a producer would: a plain PUT. */
  async put(key: string, body: Uint8Array): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({ Bucket: LOCAL_BUCKET, Key: key, Body: body, ContentLength: body.byteLength }),
    );
  }

  /**
   * Delivers one SQS batch with S3's notifications for `keys`, in order, then S3's notifications for the objects the
   * validator itself wrote where Statsig reads (signals files), as S3 would; returns what came out.
   */
  async deliver(keys: readonly string[]): Promise<Outcome> {
    const before = { events: this.aws.events.length, alerts: this.aws.alerts.length };
    let failedRecords = 0;
    let batch = [...keys];
    while (batch.length) {
      batch.forEach((key) => this.notified.add(key));
      const response = await this.handler(sqsEvent(...batch.map((key) => s3EventRecord(LOCAL_BUCKET, key))));
      failedRecords += response.batchItemFailures.length;
      batch = (await this.list('signals/')).filter((key) => !key.endsWith('/') && !this.notified.has(key));
    }
    return {
      events: this.aws.events.slice(before.events),
      alerts: this.aws.alerts.slice(before.alerts),
      failedRecords,
    };
  }

  async list(prefix: string): Promise<string[]> {
    return (await listObjects(this.s3, LOCAL_BUCKET, prefix)).map((object) => object.key);
  }

  async read(key: string): Promise<Uint8Array> {
    const response = await this.s3.send(new GetObjectCommand({ Bucket: LOCAL_BUCKET, Key: key }));
    return response.Body!.transformToByteArray();
  }

  async stop(): Promise<void> {
    await this.decoder.close();
    Object.values(this.clients).forEach((client) => client.destroy());
    this.s3.destroy();
    await this.aws.stop();
    await this.s3Server.stop();
  }
}
