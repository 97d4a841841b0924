import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { runCli } from '../../bin/cli/main';
import { suiteDecoder } from '../support/decoder';
import { closeDuckDb, writeParquet } from '../support/duckdb-parquet';
import { sink } from '../support/output-sink';
import { LOCAL_CREDENTIALS, LOCAL_REGION, type S3Server, startS3Server } from '../doubles/s3-server';

/** Issue 15, item 4: `statsig-s3 validate s3://bucket/prefix` judges objects in place, over ranged GETs. */

const BUCKET = 'statsig-ingest';
const decoder = suiteDecoder();
let server: S3Server;
let direct: S3Client;

const metrics = (date: string) =>
  writeParquet(
    `SELECT 'u' || range AS unit_id, 'user_id' AS id_type, DATE '${date}' AS date, 'revenue' AS metric_name,
            range::DOUBLE AS metric_value, NULL::DOUBLE AS numerator, NULL::DOUBLE AS denominator FROM range(20)`,
  );

async function put(key: string, body: Uint8Array | string) {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  await direct.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: bytes, ContentLength: bytes.byteLength }));
}

async function cli(...argv: string[]) {
  const stdout = sink();
  const stderr = sink();
  const code = await runCli(
    ['validate', ...argv, '--endpoint-url', server.endpoint, '--region', LOCAL_REGION],
    { stdout, stderr },
    () => decoder,
  );
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

beforeAll(async () => {
  // The SDK's default credential chain reads these, as it would a CI job's.
  process.env.AWS_ACCESS_KEY_ID = LOCAL_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = LOCAL_CREDENTIALS.secretAccessKey;
  server = await startS3Server([BUCKET]);
  direct = server.client();
  await put('metrics/2024-05-01/a-good.parquet', await metrics('2024-05-01'));
  await put('metrics/2024-05-01/b-wrong-day.parquet', await metrics('2024-05-02'));
  await put('metrics/2024-05-01/.a-good.parquet.crc', 'crc');
  await put('metrics/2024-05-01/_SUCCESS', '');
  await put('metrics/2024-05-02/0000_part_00', await metrics('2024-05-02'));
});

afterAll(async () => {
  await server.stop();
  await Promise.all([decoder.close(), closeDuckDb()]);
});

it('judges every object the Lambda would judge under a prefix, with progress and a summary', async () => {
  const run = await cli(`s3://${BUCKET}/metrics/`);
  expect(run.code).toBe(1);
  expect(run.stdout).toMatch(/^VALID\s+s3:\/\/statsig-ingest\/metrics\/2024-05-01\/a-good\.parquet/m);
  expect(run.stdout).toMatch(/^INVALID\s+s3:\/\/statsig-ingest\/metrics\/2024-05-01\/b-wrong-day\.parquet/m);
  expect(run.stdout).toContain('metrics.date.folder-mismatch');
  expect(run.stdout).toMatch(/^VALID\s+s3:\/\/statsig-ingest\/metrics\/2024-05-02\/0000_part_00 /m);
  expect(run.stdout).toContain('3 files: 2 valid, 1 invalid');
  expect(run.stderr).toMatch(/^\[1\/3\] s3:\/\/statsig-ingest\/metrics\/2024-05-01\/a-good\.parquet \(/m);
  expect(run.stdout).not.toContain('_SUCCESS');
  expect(run.stdout).not.toContain('.crc');
});

it('reads the dataset and the day from the key, as the Lambda does', async () => {
  const run = await cli(`s3://${BUCKET}/metrics/2024-05-01/a-good.parquet`, '--json');
  expect(run.code).toBe(0);
  const [report] = JSON.parse(run.stdout) as { file: string; dataset: string; day: string; rows: number }[];
  expect(report).toMatchObject({ dataset: 'metrics', day: '2024-05-01', rows: 20 });
});

it('tells a named object the Lambda ignores as ignored, with the reason', async () => {
  const run = await cli(`s3://${BUCKET}/metrics/2024-05-01/_SUCCESS`);
  expect(run.code).toBe(0);
  expect(run.stdout).toContain('IGNORED  s3://statsig-ingest/metrics/2024-05-01/_SUCCESS: the completion marker');
});

it('says when a prefix holds nothing to judge, and exits 2 for a bucket it cannot reach', async () => {
  const empty = await cli(`s3://${BUCKET}/events/`);
  expect(empty.code).toBe(0);
  expect(empty.stdout).toContain(`nothing to judge under s3://${BUCKET}/events/`);
  const missing = await cli('s3://no-such-bucket/metrics/');
  expect(missing.code).toBe(2);
  expect(missing.stderr).toMatch(/^statsig-s3: /);
});
