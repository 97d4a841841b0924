import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { AwsRecorder } from '../doubles/aws-stand-in';
import { s3EventRecord, sqsEvent } from '../doubles/s3-notifications';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startS3Server, type S3Server } from '../doubles/s3-server';
import { configToEnvironment, validatorConfig } from '../../lambda/wire/config';
import { closeDuckDb, writeParquet } from '../support/duckdb-parquet';

/**
 * The artifact that ships: the esbuild bundle the construct deploys (npm test builds it first), loaded by plain
 * Node.js as Lambda loads it, configured only by environment variables, and pointed at the local servers through
 * the SDK's own endpoint variables. It proves the bundled handler starts its bundled decoder process and reaches a
 * verdict, which the tests of the TypeScript sources cannot.
 */
const BUNDLE = join(__dirname, '..', '..', 'dist', 'lambda-bundle', 'validator', 'index.js');
const BUCKET = 'statsig-bundle';
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:bundle-alerts';
const DAY = '2024-05-01';

let server: S3Server;
let recorder: AwsRecorder;
let s3: S3Client;

beforeAll(async () => {
  server = await startS3Server([BUCKET]);
  recorder = await AwsRecorder.start();
  s3 = server.client();
});
afterAll(async () => {
  s3.destroy();
  await recorder.stop();
  await server.stop();
  await closeDuckDb();
});

const metrics = (idType: string) =>
  writeParquet(`SELECT 'u' || range AS unit_id, '${idType}' AS id_type, DATE '${DAY}' AS date, 'revenue' AS metric_name,
                       range::DOUBLE AS metric_value, NULL::DOUBLE AS numerator, NULL::DOUBLE AS denominator FROM range(500)`);

/**
 * Invokes the bundle's `handler` in a fresh Node.js process, as the Lambda runtime would, and returns its answer.
 * Asynchronously: the EventBridge and SNS stand-in answers from this process.
 */
function invokeBundle(event: unknown): Promise<{ code: number | null; response: unknown; stderr: string }> {
  const script = `require(${JSON.stringify(BUNDLE)}).handler(JSON.parse(process.argv[1])).then((r) => process.stdout.write(JSON.stringify(r)))`;
  const env = {
    PATH: process.env.PATH,
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_S3: server.endpoint,
    AWS_ENDPOINT_URL_EVENTBRIDGE: recorder.endpoint,
    AWS_ENDPOINT_URL_SNS: recorder.endpoint,
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    ...configToEnvironment(validatorConfig({ eventBusName: 'bundle-bus', alertsTopicArn: TOPIC })),
  };
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['-e', script, JSON.stringify(event)],
      { encoding: 'utf8', timeout: 60_000, env },
      (_error, stdout, stderr) =>
        resolve({ code: child.exitCode, response: stdout ? JSON.parse(stdout) : undefined, stderr }),
    );
  });
}

const exists = (key: string) =>
  s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key })).then(
    () => true,
    () => false,
  );

test('the bundled handler judges files with its bundled decoder: one kept, one quarantined', async () => {
  const good = `metrics/${DAY}/good.parquet`;
  const bad = `metrics/${DAY}/bad.parquet`;
  for (const [key, body] of [
    [good, await metrics('user_id')],
    [bad, await metrics('User_ID')],
  ] as const) {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, ContentLength: body.byteLength }));
  }

  const result = await invokeBundle(sqsEvent(s3EventRecord(BUCKET, good), s3EventRecord(BUCKET, bad)));
  expect(result.code).toBe(0);
  expect(result.response).toEqual({ batchItemFailures: [] });
  expect(recorder.events.map((event) => [event.detailType, event.detail.key])).toEqual([
    ['File Validated', good],
    ['File Rejected', bad],
  ]);
  expect(await exists(good)).toBe(true);
  expect(await exists(bad)).toBe(false);
  expect(await exists(`_quarantine/${bad}`)).toBe(true);
  expect(await exists(`_reports/${good}.json`)).toBe(true);
  expect(recorder.alerts).toHaveLength(1);
  expect(recorder.alerts[0].message).toContain("did you mean 'user_id'?");
});
