import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { StatsigDataset, StatsigS3Ingestion } from '../../lib';
import { simulate, type Decision } from './support/iam-simulation';
import { ACCOUNT, REGION, resolveIntrinsics } from './support/resolve-intrinsics';
import { logicalId } from './support/synth';

/**
 * grantWrite proven by a real IAM policy engine: the producer's synthesized policy, with the bucket policy (and the
 * key policy), over the requests a producer makes and ones it must not be able to make.
 */
const PRODUCER = `arn:aws:iam::${ACCOUNT}:role/producer`;
const VIA_S3 = { 'kms:ViaService': `s3.${REGION}.amazonaws.com` };

interface Setup {
  readonly bucketName: string;
  readonly keyArn?: string;
  readonly identityPolicy: unknown;
  readonly bucketPolicy: unknown;
  readonly keyPolicy?: unknown;
}

function setup(options: { readonly kms?: boolean; readonly dataset?: StatsigDataset } = {}): Setup {
  const app = new App();
  const stack = new Stack(app, 'Test', { env: { account: ACCOUNT, region: REGION } });
  const key = options.kms ? new kms.Key(stack, 'DataKey', { enableKeyRotation: true }) : undefined;
  const ingestion = new StatsigS3Ingestion(stack, 'Ingestion', { encryptionKey: key });
  const producer = new iam.Role(stack, 'Producer', { assumedBy: new iam.AccountRootPrincipal() });
  ingestion.grantWrite(producer, options.dataset);
  const resources = Template.fromStack(stack).toJSON().Resources;
  const concrete = (node: unknown) => resolveIntrinsics(node, resources);
  const policy = Object.entries(resources).find(([id]) => id.startsWith('ProducerDefaultPolicy'))![1] as {
    Properties: { PolicyDocument: unknown };
  };
  return {
    bucketName: concrete({ Ref: logicalId(stack, ingestion.bucket) }) as string,
    keyArn: key && (concrete({ 'Fn::GetAtt': [logicalId(stack, key), 'Arn'] }) as string),
    identityPolicy: concrete(policy.Properties.PolicyDocument),
    bucketPolicy: concrete(resources[logicalId(stack, ingestion.bucket.policy!)].Properties.PolicyDocument),
    keyPolicy: key && concrete(resources[logicalId(stack, key)].Properties.KeyPolicy),
  };
}

function onObject(s: Setup, action: string, key: string): Promise<Decision> {
  return simulate({
    principal: PRODUCER,
    action,
    resource: `arn:aws:s3:::${s.bucketName}/${key}`,
    identityPolicy: s.identityPolicy,
    resourcePolicy: s.bucketPolicy,
  });
}

async function decisions(s: Setup, requests: Array<[string, string]>): Promise<Record<string, Decision>> {
  const decided = await Promise.all(
    requests.map(async ([action, key]) => [`${action} ${key}`, await onObject(s, action, key)] as const),
  );
  return Object.fromEntries(decided);
}

/** Every request gets the one decision; a failure names the requests that did not. */
async function expectAll(s: Setup, requests: Array<[string, string]>, decision: Decision): Promise<void> {
  const expected = Object.fromEntries(requests.map(([action, key]) => [`${action} ${key}`, decision]));
  expect(await decisions(s, requests)).toEqual(expected);
}

describe('grantWrite() for every dataset', () => {
  let s: Setup;
  beforeAll(() => {
    s = setup();
  });

  test('writes data files and markers under the data prefixes, in one request or in parts', async () => {
    await expectAll(
      s,
      [
        ['s3:PutObject', 'events/2024-05-01/x.parquet'],
        ['s3:PutObject', 'events/2024-05-01/_SUCCESS'],
        ['s3:PutObject', 'metrics/2024-05-01/part-00000.parquet'],
        ['s3:PutObject', 'metrics/2024-05-01/_SUCCESS'],
        ['s3:AbortMultipartUpload', 'metrics/2024-05-01/part-00000.parquet'],
        ['s3:ListMultipartUploadParts', 'events/2024-05-01/x.parquet'],
      ],
      'Allowed',
    );
  });

  test("reaches neither signals/ nor the product's own prefixes, and reads or deletes nothing", async () => {
    await expectAll(
      s,
      [
        ['s3:PutObject', 'signals/2024-05-01.parquet'],
        ['s3:PutObject', '_state/readiness.json'],
        ['s3:PutObject', '_reports/events/2024-05-01/x.parquet.json'],
        ['s3:PutObject', '_quarantine/events/2024-05-01/x.parquet'],
        ['s3:PutObject', 'other/x.parquet'],
        ['s3:GetObject', 'events/2024-05-01/x.parquet'],
        ['s3:DeleteObject', 'events/2024-05-01/x.parquet'],
      ],
      'ImplicitlyDenied',
    );
  });
});

test('grantWrite(producer, dataset) writes that dataset only', async () => {
  const s = setup({ dataset: StatsigDataset.EVENTS });
  expect(
    await decisions(s, [
      ['s3:PutObject', 'events/2024-05-01/x.parquet'],
      ['s3:PutObject', 'events/2024-05-01/_SUCCESS'],
      ['s3:PutObject', 'metrics/2024-05-01/x.parquet'],
      ['s3:PutObject', 'metrics/2024-05-01/_SUCCESS'],
    ]),
  ).toEqual({
    's3:PutObject events/2024-05-01/x.parquet': 'Allowed',
    's3:PutObject events/2024-05-01/_SUCCESS': 'Allowed',
    's3:PutObject metrics/2024-05-01/x.parquet': 'ImplicitlyDenied',
    's3:PutObject metrics/2024-05-01/_SUCCESS': 'ImplicitlyDenied',
  });
});

describe('grantWrite() with a customer-managed key', () => {
  let s: Setup;
  beforeAll(() => {
    s = setup({ kms: true });
  });
  const onKey = (action: string, context?: Record<string, string>) =>
    simulate({
      principal: PRODUCER,
      action,
      resource: s.keyArn!,
      context,
      identityPolicy: s.identityPolicy,
      resourcePolicy: s.keyPolicy,
    });

  test('gets data keys and decrypts them through S3, for uploads in one request or in parts', async () => {
    expect([await onKey('kms:GenerateDataKey', VIA_S3), await onKey('kms:Decrypt', VIA_S3)]).toEqual([
      'Allowed',
      'Allowed',
    ]);
  });

  test('cannot use the key directly, nor encrypt with it outside S3', async () => {
    expect([
      await onKey('kms:GenerateDataKey'),
      await onKey('kms:Decrypt'),
      await onKey('kms:Encrypt', VIA_S3),
    ]).toEqual(['ImplicitlyDenied', 'ImplicitlyDenied', 'ImplicitlyDenied']);
  });
});

test('without a key, grantWrite grants nothing on KMS', () => {
  const statements = (setup().identityPolicy as { Statement: Array<{ Action: string | string[] }> }).Statement;
  expect(statements.flatMap((st) => st.Action).filter((action) => action.startsWith('kms:'))).toEqual([]);
});
