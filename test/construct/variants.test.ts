import { Duration } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ENV } from '../../lambda/wire/environment';
import { Readiness, Reader, StatsigDataset, TimestampUnit } from '../../lib';
import { logicalId, policyStatements, synthIngestion, type Synthesized } from './support/synth';

const STATSIG_ROLE = 'arn:aws:iam::999689269917:role/statsig-reader';
const API_SECRET = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:statsig-server-AbCdEf';

describe('customer-managed key, Statsig principal and API readiness', () => {
  let s: Synthesized;
  let keyId: string;
  beforeAll(() => {
    s = synthIngestion((stack) => ({
      encryptionKey: new kms.Key(stack, 'DataKey', { enableKeyRotation: true }),
      reader: Reader.statsigPrincipal(STATSIG_ROLE),
      readiness: Readiness.api({ secret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'Api', API_SECRET) }),
    }));
    keyId = Object.keys(s.template.findResources('AWS::KMS::Key')).find((id) => id.startsWith('DataKey'))!;
  });

  test('the bucket uses the key with a bucket key', () => {
    s.template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          {
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] },
            },
          },
        ],
      },
    });
  });

  test('no user, access key or credentials secret is created', () => {
    s.template.resourceCountIs('AWS::IAM::User', 0);
    s.template.resourceCountIs('AWS::IAM::AccessKey', 0);
    s.template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    expect(s.ingestion.readerUser).toBeUndefined();
    expect(s.ingestion.readerCredentials).toBeUndefined();
  });

  test('the bucket policy grants the Statsig principal the reader rights', () => {
    const statements = s.template.toJSON().Resources[logicalId(s.stack, s.ingestion.bucket.policy!)].Properties
      .PolicyDocument.Statement as Array<Record<string, unknown>>;
    const forStatsig = statements.filter(
      (st) => JSON.stringify(st.Principal) === JSON.stringify({ AWS: STATSIG_ROLE }),
    );
    expect(forStatsig.map((st) => [st.Sid, st.Effect, st.Action])).toEqual([
      ['ReadStatsigPrefixes', 'Allow', 's3:GetObject'],
      ['ListStatsigPrefixes', 'Allow', 's3:ListBucket'],
      ['LocateBucket', 'Allow', 's3:GetBucketLocation'],
      ['DenyReaderOwnObjects', 'Deny', 's3:GetObject*'],
      ['DenyReaderOwnListing', 'Deny', 's3:ListBucket*'],
    ]);
  });

  test('the key policy lets the Statsig principal decrypt through S3 only', () => {
    s.template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          {
            Sid: 'DecryptStatsigObjects',
            Effect: 'Allow',
            Principal: { AWS: STATSIG_ROLE },
            Action: 'kms:Decrypt',
            Resource: '*',
            Condition: {
              StringEquals: {
                'kms:ViaService': { 'Fn::Join': ['', ['s3.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
              },
            },
          },
        ]),
      },
    });
  });

  test('the validator uses the key through S3 only', () => {
    const kmsStatement = policyStatements(s.template, 'IngestionValidatorRoleDefaultPolicy').find(
      (st) => st.Sid === 'EncryptThroughS3',
    );
    expect(kmsStatement).toMatchObject({
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: { 'Fn::GetAtt': [keyId, 'Arn'] },
      Condition: { StringEquals: { 'kms:ViaService': expect.anything() } },
    });
  });

  test('the validator may not write signals/: the API publishes readiness, never both', () => {
    const put = policyStatements(s.template, 'IngestionValidatorRoleDefaultPolicy').find(
      (st) => st.Action === 's3:PutObject',
    );
    expect(JSON.stringify(put!.Resource)).not.toContain('signals/');
    expect(JSON.stringify(put!.Resource)).toContain('_state/');
  });

  test('the validator reads the API secret and nothing else of Secrets Manager', () => {
    const secretStatements = policyStatements(s.template, 'IngestionValidatorRoleDefaultPolicy').filter((st) =>
      JSON.stringify(st.Action).includes('secretsmanager'),
    );
    expect(secretStatements).toEqual([
      { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: API_SECRET },
    ]);
    s.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          [ENV.readinessMode]: 'api',
          [ENV.statsigApiSecretArn]: API_SECRET,
          [ENV.statsigApiBaseUrl]: 'https://api.statsig.com',
        }),
      },
    });
  });
});

describe('imported bucket, topic and bus', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synthIngestion((stack) => ({
      bucket: s3.Bucket.fromBucketName(stack, 'Existing', 'existing-data'),
      alertsTopic: sns.Topic.fromTopicArn(stack, 'Topic', 'arn:aws:sns:us-east-1:111111111111:alerts'),
      eventBus: events.EventBus.fromEventBusArn(stack, 'Bus', 'arn:aws:events:us-east-1:111111111111:event-bus/data'),
    }));
  });

  test('creates no bucket, and merges notifications into the existing configuration', () => {
    s.template.resourceCountIs('AWS::S3::Bucket', 0);
    s.template.resourceCountIs('AWS::S3::BucketPolicy', 0);
    expect(s.ingestion.logBucket).toBeUndefined();
    s.template.hasResourceProperties('Custom::S3BucketNotifications', { BucketName: 'existing-data', Managed: false });
  });

  test('warns that the bucket policy statements must be added by hand', () => {
    Annotations.fromStack(s.stack).hasWarning(
      '/Test/Ingestion',
      Match.stringLikeRegexp('the bucket policy is not managed by this app'),
    );
  });

  test('still grants the reader user its least-privilege policy on the imported bucket', () => {
    const get = policyStatements(s.template, 'IngestionReaderPolicy').find((st) => st.Action === 's3:GetObject');
    expect(JSON.stringify(get!.Resource)).toContain(':s3:::existing-data/events/*');
  });

  test('uses the given topic and bus and creates none', () => {
    s.template.resourceCountIs('AWS::SNS::Topic', 0);
    s.template.resourceCountIs('AWS::KMS::Key', 0);
    s.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          [ENV.alertsTopicArn]: 'arn:aws:sns:us-east-1:111111111111:alerts',
          [ENV.eventBusName]: 'arn:aws:events:us-east-1:111111111111:event-bus/data',
        }),
      },
    });
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: ['arn:aws:sns:us-east-1:111111111111:alerts'],
    });
  });
});

describe('tuning props', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synthIngestion(() => ({
      datasets: [StatsigDataset.METRICS],
      idTypes: ['company_id', 'user_id'],
      timestampUnit: TimestampUnit.MILLISECONDS,
      memorySize: 4096,
      timeout: Duration.minutes(2),
      reservedConcurrentExecutions: 4,
      logRetention: logs.RetentionDays.ONE_YEAR,
      accessKeySerial: 3,
      noncurrentVersionExpiration: Duration.days(30),
      productObjectRetention: Duration.days(30),
      accessLogRetention: Duration.days(400),
      readinessStartDay: '2024-03-01',
      readinessGracePeriod: Duration.minutes(90),
    }));
  });

  test('reach the function, its queue, its logs and the access key', () => {
    s.template.hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 4096,
      Timeout: 120,
      ReservedConcurrentExecutions: 4,
      Environment: {
        Variables: Match.objectLike({
          [ENV.datasets]: 'metrics',
          [ENV.idTypes]: 'user_id,stable_id,company_id',
          [ENV.timestampUnit]: 'milliseconds',
          [ENV.readinessStartDay]: '2024-03-01',
          [ENV.readinessGracePeriodHours]: '1.5',
        }),
      },
    });
    s.template.hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 720 });
    s.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { ScalingConfig: { MaximumConcurrency: 4 } });
    s.template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
    s.template.hasResourceProperties('AWS::IAM::AccessKey', { Serial: 3 });
    s.template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: [
          Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 30 } }),
          // The product's own objects expire; `_state/readiness.json` (what Statsig was told) never does.
          ...['_reports/', '_quarantine/', '_state/verdicts/', '_state/days/'].map((prefix) =>
            Match.objectLike({ Prefix: prefix, ExpirationInDays: 30 }),
          ),
        ],
      },
    });
    s.template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: [Match.objectLike({ Id: 'ExpireAccessLogs', ExpirationInDays: 400 })] },
    });
  });
});
