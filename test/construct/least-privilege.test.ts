import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Readiness, Reader, ReaderListScope } from '../../lib';
import { ACCOUNT, resolveIntrinsics } from './support/resolve-intrinsics';
import { logicalId, policyStatements, synthIngestion } from './support/synth';

/**
 * Least privilege proven by a real IAM policy engine: the synthesized reader policy and bucket policy are evaluated
 * over a matrix of requests, in both reader modes.
 */
type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

interface Request {
  readonly name: string;
  readonly action: string;
  /** A key in the bucket, or `bucket` for the bucket itself. */
  readonly target: string;
  readonly prefix?: string;
  readonly otherBucket?: boolean;
  readonly insecure?: boolean;
  readonly tlsVersion?: string;
  readonly expected: Decision;
  /** The decision when `readerListScope` widens listing to the bucket, where it differs. */
  readonly bucketScope?: Decision;
}

const MATRIX: Request[] = [
  { name: 'GetObject events/', action: 's3:GetObject', target: 'events/2022-06-22/a.parquet', expected: 'Allowed' },
  { name: 'GetObject metrics/', action: 's3:GetObject', target: 'metrics/2022-06-22/m.parquet', expected: 'Allowed' },
  { name: 'GetObject signals/', action: 's3:GetObject', target: 'signals/2022-06-22.parquet', expected: 'Allowed' },
  {
    name: 'ListBucket prefix events/',
    action: 's3:ListBucket',
    target: 'bucket',
    prefix: 'events/',
    expected: 'Allowed',
  },
  {
    name: 'ListBucket prefix metrics/2022-06-22/',
    action: 's3:ListBucket',
    target: 'bucket',
    prefix: 'metrics/2022-06-22/',
    expected: 'Allowed',
  },
  { name: 'GetBucketLocation', action: 's3:GetBucketLocation', target: 'bucket', expected: 'Allowed' },
  {
    name: 'GetObject _quarantine/',
    action: 's3:GetObject',
    target: '_quarantine/events/2022-06-22/a.parquet',
    expected: 'ExplicitlyDenied',
  },
  {
    name: 'GetObject _reports/',
    action: 's3:GetObject',
    target: '_reports/events/2022-06-22/a.json',
    expected: 'ExplicitlyDenied',
  },
  { name: 'GetObject _state/', action: 's3:GetObject', target: '_state/readiness.json', expected: 'ExplicitlyDenied' },
  {
    name: 'GetObject outside the prefixes',
    action: 's3:GetObject',
    target: 'other/a.parquet',
    expected: 'ImplicitlyDenied',
  },
  {
    name: 'PutObject events/',
    action: 's3:PutObject',
    target: 'events/2022-06-22/a.parquet',
    expected: 'ImplicitlyDenied',
  },
  {
    name: 'PutObject signals/',
    action: 's3:PutObject',
    target: 'signals/2022-06-22.parquet',
    expected: 'ImplicitlyDenied',
  },
  {
    name: 'PutObject _quarantine/',
    action: 's3:PutObject',
    target: '_quarantine/a.parquet',
    expected: 'ImplicitlyDenied',
  },
  {
    name: 'DeleteObject events/',
    action: 's3:DeleteObject',
    target: 'events/2022-06-22/a.parquet',
    expected: 'ImplicitlyDenied',
  },
  {
    name: 'DeleteObject metrics/',
    action: 's3:DeleteObject',
    target: 'metrics/2022-06-22/m.parquet',
    expected: 'ImplicitlyDenied',
  },
  { name: 'PutBucketPolicy', action: 's3:PutBucketPolicy', target: 'bucket', expected: 'ImplicitlyDenied' },
  { name: 'DeleteBucketPolicy', action: 's3:DeleteBucketPolicy', target: 'bucket', expected: 'ImplicitlyDenied' },
  {
    name: 'ListBucket at the root',
    action: 's3:ListBucket',
    target: 'bucket',
    expected: 'ImplicitlyDenied',
    bucketScope: 'Allowed',
  },
  {
    name: 'ListBucket prefix "" (the root)',
    action: 's3:ListBucket',
    target: 'bucket',
    prefix: '',
    expected: 'ImplicitlyDenied',
    bucketScope: 'Allowed',
  },
  {
    name: 'ListBucket prefix _quarantine/',
    action: 's3:ListBucket',
    target: 'bucket',
    prefix: '_quarantine/',
    expected: 'ExplicitlyDenied',
    bucketScope: 'Allowed',
  },
  {
    name: 'GetObject events/ over plain HTTP',
    action: 's3:GetObject',
    target: 'events/2022-06-22/a.parquet',
    insecure: true,
    expected: 'ExplicitlyDenied',
  },
  {
    name: 'ListBucket events/ over plain HTTP',
    action: 's3:ListBucket',
    target: 'bucket',
    prefix: 'events/',
    insecure: true,
    expected: 'ExplicitlyDenied',
  },
  {
    name: 'GetObject events/ over TLS 1.1',
    action: 's3:GetObject',
    target: 'events/2022-06-22/a.parquet',
    tlsVersion: '1.1',
    expected: 'ExplicitlyDenied',
  },
  {
    name: 'GetObject events/ in another bucket',
    action: 's3:GetObject',
    target: 'events/2022-06-22/a.parquet',
    otherBucket: true,
    expected: 'ImplicitlyDenied',
  },
  {
    name: 'ListBucket events/ in another bucket',
    action: 's3:ListBucket',
    target: 'bucket',
    prefix: 'events/',
    otherBucket: true,
    expected: 'ImplicitlyDenied',
  },
];

/** Statsig's own side is unknown: assume its role may do anything, so only the bucket policy limits it. */
const STATSIG_ROLE = 'arn:aws:iam::999689269917:role/statsig-reader';
const STATSIG_IDENTITY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] };

interface Mode {
  readonly principal: string;
  readonly identityPolicy: unknown;
  readonly bucketName: string;
  readonly bucketPolicy: unknown;
}

function iamUserMode(readerListScope: ReaderListScope): Mode {
  const { stack, ingestion, template } = synthIngestion(() => ({ readerListScope }));
  const resources = template.toJSON().Resources;
  const concrete = (node: unknown) => resolveIntrinsics(node, resources);
  const readerPolicy = Object.entries(resources).find(([id]) => id.startsWith('IngestionReaderPolicy'))![1] as {
    Properties: { PolicyDocument: unknown };
  };
  return {
    principal: concrete({ 'Fn::GetAtt': [logicalId(stack, ingestion.readerUser!), 'Arn'] }) as string,
    identityPolicy: concrete(readerPolicy.Properties.PolicyDocument),
    bucketName: concrete({ Ref: logicalId(stack, ingestion.bucket) }) as string,
    bucketPolicy: concrete(resources[logicalId(stack, ingestion.bucket.policy!)].Properties.PolicyDocument),
  };
}

function statsigPrincipalMode(readerListScope: ReaderListScope): Mode {
  const { stack, ingestion, template } = synthIngestion(() => ({
    reader: Reader.statsigPrincipal(STATSIG_ROLE),
    readerListScope,
  }));
  const resources = template.toJSON().Resources;
  const concrete = (node: unknown) => resolveIntrinsics(node, resources);
  return {
    principal: STATSIG_ROLE,
    identityPolicy: STATSIG_IDENTITY,
    bucketName: concrete({ Ref: logicalId(stack, ingestion.bucket) }) as string,
    bucketPolicy: concrete(resources[logicalId(stack, ingestion.bucket.policy!)].Properties.PolicyDocument),
  };
}

async function decide(mode: Mode, request: Request): Promise<string> {
  const bucket = request.otherBucket ? 'someone-elses-bucket' : mode.bucketName;
  const resource = request.target === 'bucket' ? `arn:aws:s3:::${bucket}` : `arn:aws:s3:::${bucket}/${request.target}`;
  const simulation: Simulation = {
    request: {
      principal: mode.principal,
      action: request.action,
      resource: { resource, accountId: ACCOUNT },
      contextVariables: {
        'aws:SecureTransport': request.insecure ? 'false' : 'true',
        's3:TlsVersion': request.tlsVersion ?? '1.3',
        ...(request.prefix === undefined ? {} : { 's3:prefix': request.prefix }),
      },
    },
    identityPolicies: [{ name: 'reader', policy: mode.identityPolicy }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    // Another bucket's policy is not ours: it grants nothing to the reader.
    resourcePolicy: request.otherBucket ? undefined : mode.bucketPolicy,
  };
  const response = await runSimulation(simulation, {});
  if (response.resultType === 'error') throw new Error(`${request.name}: ${JSON.stringify(response.errors)}`);
  return response.overallResult;
}

describe.each([
  ['iamUser', ReaderListScope.PREFIXES, iamUserMode],
  ['statsigPrincipal', ReaderListScope.PREFIXES, statsigPrincipalMode],
  ['iamUser', ReaderListScope.BUCKET, iamUserMode],
  ['statsigPrincipal', ReaderListScope.BUCKET, statsigPrincipalMode],
])('reader in %s mode, listing %s', (_mode, listScope, build) => {
  let mode: Mode;
  beforeAll(() => {
    mode = build(listScope);
  });
  const expected = (r: Request) => (listScope === ReaderListScope.BUCKET ? (r.bucketScope ?? r.expected) : r.expected);

  test(`decides all ${MATRIX.length} requests of the matrix as expected`, async () => {
    const decisions = await Promise.all(MATRIX.map(async (request) => [request.name, await decide(mode, request)]));
    expect(Object.fromEntries(decisions)).toEqual(Object.fromEntries(MATRIX.map((r) => [r.name, expected(r)])));
  });
});

/**
 * The validator's side of readiness, proven the same way: its role's S3 and Secrets Manager statements, with the
 * bucket policy, over the requests readiness makes (and ones it must not be able to make), in both readiness modes.
 */
const VALIDATOR_ROLE = `arn:aws:iam::${ACCOUNT}:role/statsig-validator`;
const API_SECRET = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:statsig-server-AbCdEf`;

interface ValidatorRequest {
  readonly name: string;
  readonly action: string;
  readonly target: string;
  readonly prefix?: string;
  readonly signals: Decision;
  readonly api: Decision;
}

const VALIDATOR_MATRIX: ValidatorRequest[] = [
  {
    name: 'read the state',
    action: 's3:GetObject',
    target: '_state/readiness.json',
    signals: 'Allowed',
    api: 'Allowed',
  },
  {
    name: 'write the state',
    action: 's3:PutObject',
    target: '_state/readiness.json',
    signals: 'Allowed',
    api: 'Allowed',
  },
  {
    name: 'read a report',
    action: 's3:GetObject',
    target: '_reports/events/2024-05-01/a.parquet.json',
    signals: 'Allowed',
    api: 'Allowed',
  },
  {
    name: 'list the day folders',
    action: 's3:ListBucket',
    target: 'bucket',
    prefix: 'events/',
    signals: 'Allowed',
    api: 'Allowed',
  },
  {
    name: 'list a day folder',
    action: 's3:ListBucket',
    target: 'bucket',
    prefix: 'metrics/2024-05-01/',
    signals: 'Allowed',
    api: 'Allowed',
  },
  {
    name: "list a day's quarantine",
    action: 's3:ListBucket',
    target: 'bucket',
    prefix: '_quarantine/events/2024-05-01/',
    signals: 'Allowed',
    api: 'Allowed',
  },
  {
    name: 'list the whole bucket',
    action: 's3:ListBucket',
    target: 'bucket',
    signals: 'ImplicitlyDenied',
    api: 'ImplicitlyDenied',
  },
  {
    name: 'write a signals file',
    action: 's3:PutObject',
    target: 'signals/2024-05-01.parquet',
    signals: 'Allowed',
    api: 'ImplicitlyDenied',
  },
  {
    name: 'write into a data folder',
    action: 's3:PutObject',
    target: 'events/2024-05-01/a.parquet',
    signals: 'ImplicitlyDenied',
    api: 'ImplicitlyDenied',
  },
  {
    name: 'delete the state',
    action: 's3:DeleteObject',
    target: '_state/readiness.json',
    signals: 'ImplicitlyDenied',
    api: 'ImplicitlyDenied',
  },
  {
    name: 'read the Statsig API secret',
    action: 'secretsmanager:GetSecretValue',
    target: API_SECRET,
    signals: 'ImplicitlyDenied',
    api: 'Allowed',
  },
  {
    name: 'read another secret',
    action: 'secretsmanager:GetSecretValue',
    target: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:other-XyZ123`,
    signals: 'ImplicitlyDenied',
    api: 'ImplicitlyDenied',
  },
];

function validatorMode(readiness: 'signals' | 'api'): Mode {
  const { stack, ingestion, template } = synthIngestion((scope) =>
    readiness === 'api'
      ? { readiness: Readiness.api({ secret: secretsmanager.Secret.fromSecretCompleteArn(scope, 'Api', API_SECRET) }) }
      : {},
  );
  const resources = template.toJSON().Resources;
  const concrete = (node: unknown) => resolveIntrinsics(node, resources);
  // Only the statements readiness relies on: the others name resources (bus, topic, queue) the resolver has no ARN for.
  const statements = policyStatements(template, 'IngestionValidatorRoleDefaultPolicy').filter((st) =>
    /"(s3|secretsmanager):/.test(JSON.stringify(st.Action)),
  );
  return {
    principal: VALIDATOR_ROLE,
    identityPolicy: concrete({ Version: '2012-10-17', Statement: statements }),
    bucketName: concrete({ Ref: logicalId(stack, ingestion.bucket) }) as string,
    bucketPolicy: concrete(resources[logicalId(stack, ingestion.bucket.policy!)].Properties.PolicyDocument),
  };
}

async function decideForValidator(mode: Mode, request: ValidatorRequest): Promise<string> {
  const s3Resource =
    request.target === 'bucket'
      ? `arn:aws:s3:::${mode.bucketName}`
      : `arn:aws:s3:::${mode.bucketName}/${request.target}`;
  const isSecret = request.action.startsWith('secretsmanager:');
  const response = await runSimulation(
    {
      request: {
        principal: mode.principal,
        action: request.action,
        resource: { resource: isSecret ? request.target : s3Resource, accountId: ACCOUNT },
        contextVariables: {
          'aws:SecureTransport': 'true',
          's3:TlsVersion': '1.3',
          ...(request.prefix === undefined ? {} : { 's3:prefix': request.prefix }),
        },
      },
      identityPolicies: [{ name: 'validator', policy: mode.identityPolicy }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: isSecret ? undefined : mode.bucketPolicy,
    },
    {},
  );
  if (response.resultType === 'error') throw new Error(`${request.name}: ${JSON.stringify(response.errors)}`);
  return response.overallResult;
}

describe.each(['signals', 'api'] as const)('validator in %s readiness mode', (readiness) => {
  test(`decides all ${VALIDATOR_MATRIX.length} readiness requests as expected`, async () => {
    const mode = validatorMode(readiness);
    const decisions = await Promise.all(
      VALIDATOR_MATRIX.map(async (request) => [request.name, await decideForValidator(mode, request)]),
    );
    expect(Object.fromEntries(decisions)).toEqual(
      Object.fromEntries(VALIDATOR_MATRIX.map((r) => [r.name, r[readiness]])),
    );
  });
});
