import { Match } from 'aws-cdk-lib/assertions';
import { ENV } from '../../lambda/wire/environment';
import { METRICS_NAMESPACE } from '../../lambda/wire/metrics';
import { logicalId, policyStatements, synthIngestion, type Synthesized } from './support/synth';

let s: Synthesized;
let bucketId: string;
let bucketArn: unknown;
const objectsUnder = (prefix: string) => ({ 'Fn::Join': ['', [bucketArn, `/${prefix}*`]] });

beforeAll(() => {
  s = synthIngestion();
  bucketId = logicalId(s.stack, s.ingestion.bucket);
  bucketArn = { 'Fn::GetAtt': [bucketId, 'Arn'] };
});

describe('data bucket', () => {
  test('blocks public access, is versioned, owner-enforced, SSE-S3, logged to the log bucket and retained', () => {
    const bucket = s.template.toJSON().Resources[bucketId];
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.UpdateReplacePolicy).toBe('Retain');
    expect(bucket.Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      VersioningConfiguration: { Status: 'Enabled' },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      LoggingConfiguration: { DestinationBucketName: { Ref: logicalId(s.stack, s.ingestion.logBucket!) } },
    });
  });

  test('expires noncurrent versions after 90 days', () => {
    s.template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 90 } }),
        ]),
      },
    });
  });

  test('denies plain HTTP and TLS below 1.2 to everyone', () => {
    s.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          Match.objectLike({
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:*',
            Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } },
          }),
        ]),
      },
    });
  });
});

test('the log bucket is SSE-S3, private, TLS-only and retained', () => {
  const logBucketId = logicalId(s.stack, s.ingestion.logBucket!);
  const logBucket = s.template.toJSON().Resources[logBucketId];
  expect(logBucket.DeletionPolicy).toBe('Retain');
  expect(logBucket.Properties).toMatchObject({
    PublicAccessBlockConfiguration: { BlockPublicAcls: true, RestrictPublicBuckets: true },
    BucketEncryption: {
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    },
    OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
  });
  s.template.hasResourceProperties('AWS::S3::BucketPolicy', {
    Bucket: { Ref: logBucketId },
    PolicyDocument: {
      Statement: Match.arrayWith([
        Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        Match.objectLike({ Effect: 'Allow', Principal: { Service: 'logging.s3.amazonaws.com' } }),
      ]),
    },
  });
});

test('creates the three prefix folders as zero-byte objects, allowed to put exactly those keys', () => {
  // The SDK call is JSON joined around the bucket's Ref, so it is checked as text.
  const calls = Object.values(s.template.findResources('Custom::AWS')).map((r) => JSON.stringify(r.Properties.Create));
  expect(calls).toHaveLength(3);
  ['events/', 'metrics/', 'signals/'].forEach((prefix, i) => {
    expect(calls[i]).toContain('\\"action\\":\\"putObject\\"');
    expect(calls[i]).toContain(`\\"Key\\":\\"${prefix}\\",\\"Body\\":\\"\\"`);
    expect(calls[i]).toContain(JSON.stringify({ Ref: bucketId }));
  });
  const folderPolicies = s.template.findResources('AWS::IAM::Policy', {
    Properties: { PolicyName: Match.stringLikeRegexp('Folder') },
  });
  const statements = Object.values(folderPolicies).flatMap((p) => p.Properties.PolicyDocument.Statement);
  expect(statements).toEqual(
    ['events/', 'metrics/', 'signals/'].map((prefix) => ({
      Action: 's3:PutObject',
      Effect: 'Allow',
      Resource: { 'Fn::Join': ['', [bucketArn, `/${prefix}`]] },
    })),
  );
});

describe('reader (iamUser)', () => {
  test('has exactly GetObject on the three prefixes, prefix-limited ListBucket and GetBucketLocation', () => {
    expect(policyStatements(s.template, 'IngestionReaderPolicy')).toEqual([
      {
        Sid: 'ReadStatsigPrefixes',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: ['events/', 'metrics/', 'signals/'].map(objectsUnder),
      },
      {
        Sid: 'ListStatsigPrefixes',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: bucketArn,
        Condition: { StringLike: { 's3:prefix': ['events/*', 'metrics/*', 'signals/*'] } },
      },
      { Sid: 'LocateBucket', Effect: 'Allow', Action: 's3:GetBucketLocation', Resource: bucketArn },
    ]);
  });

  test('has no other policy, managed policy or group', () => {
    const user = Object.values(s.template.findResources('AWS::IAM::User'));
    expect(user).toHaveLength(1);
    expect(user[0].Properties ?? {}).toEqual({});
    const userId = logicalId(s.stack, s.ingestion.readerUser!);
    const attached = Object.entries(s.template.findResources('AWS::IAM::Policy')).filter(([, p]) =>
      JSON.stringify(p.Properties.Users ?? []).includes(userId),
    );
    expect(attached.map(([id]) => id)).toEqual([expect.stringMatching(/^IngestionReaderPolicy/)]);
  });

  test('the bucket policy grants the user the same rights and denies it the product prefixes', () => {
    const userArn = { 'Fn::GetAtt': [logicalId(s.stack, s.ingestion.readerUser!), 'Arn'] };
    const statements = s.template.toJSON().Resources[logicalId(s.stack, s.ingestion.bucket.policy!)].Properties
      .PolicyDocument.Statement as Array<Record<string, unknown>>;
    const forReader = statements.filter((st) => JSON.stringify(st.Principal) === JSON.stringify({ AWS: userArn }));
    expect(forReader.map((st) => [st.Sid, st.Effect, st.Action])).toEqual([
      ['ReadStatsigPrefixes', 'Allow', 's3:GetObject'],
      ['ListStatsigPrefixes', 'Allow', 's3:ListBucket'],
      ['LocateBucket', 'Allow', 's3:GetBucketLocation'],
      ['DenyReaderOwnObjects', 'Deny', 's3:GetObject*'],
      ['DenyReaderOwnListing', 'Deny', 's3:ListBucket*'],
    ]);
    expect(forReader[3].Resource).toEqual(['_quarantine/', '_reports/', '_state/'].map(objectsUnder));
  });

  test('the access key lands in a JSON secret only through Fn::GetAtt, and nothing is a stack output', () => {
    const accessKeyId = Object.keys(s.template.findResources('AWS::IAM::AccessKey'))[0];
    s.template.hasResourceProperties('AWS::IAM::AccessKey', { Serial: 1 });
    const secret = Object.values(s.template.findResources('AWS::SecretsManager::Secret'))[0];
    const secretString = JSON.stringify(secret.Properties.SecretString);
    expect(secretString).toContain(JSON.stringify({ 'Fn::GetAtt': [accessKeyId, 'SecretAccessKey'] }));
    expect(secretString).toContain(JSON.stringify({ Ref: accessKeyId }));
    for (const field of ['accessKeyId', 'secretAccessKey', 'bucket', 'region', 'prefixes']) {
      expect(secretString).toContain(`\\"${field}\\"`);
    }
    expect(s.template.toJSON().Outputs ?? {}).toEqual({});
  });
});

describe('event pipeline', () => {
  test('object-created notifications for the three prefixes go to the queue', () => {
    const queueArn = { 'Fn::GetAtt': [logicalId(s.stack, s.ingestion.queue), 'Arn'] };
    s.template.hasResourceProperties('Custom::S3BucketNotifications', {
      NotificationConfiguration: {
        QueueConfigurations: ['events/', 'metrics/', 'signals/'].map((prefix) => ({
          Events: ['s3:ObjectCreated:*'],
          Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: prefix }] } },
          QueueArn: queueArn,
        })),
      },
    });
  });

  test('queues use SQS-managed encryption, TLS-only policies, and a dead-letter queue', () => {
    const queueId = logicalId(s.stack, s.ingestion.queue);
    const dlqId = logicalId(s.stack, s.ingestion.deadLetterQueue);
    const resources = s.template.toJSON().Resources;
    expect(resources[queueId].Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 1800,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: 5 },
    });
    expect(resources[dlqId].Properties).toMatchObject({ SqsManagedSseEnabled: true });
    for (const id of [queueId, dlqId]) {
      s.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  test('S3 may send to the queue only from this bucket', () => {
    s.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 's3.amazonaws.com' },
            Condition: { ArnLike: { 'aws:SourceArn': bucketArn } },
          }),
        ]),
      },
    });
  });

  test('the function consumes the queue and reports partial batch failures', () => {
    s.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [logicalId(s.stack, s.ingestion.queue), 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });
});

describe('validator function', () => {
  test('is Node.js 24 on arm64 with the bundled handler and the contract environment', () => {
    s.template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 2048,
      Timeout: 300,
      Environment: {
        Variables: {
          [ENV.datasets]: 'events,metrics',
          [ENV.idTypes]: 'user_id,stable_id',
          [ENV.timestampUnit]: 'seconds',
          [ENV.quarantinePrefix]: '_quarantine/',
          [ENV.reportsPrefix]: '_reports/',
          [ENV.statePrefix]: '_state/',
          [ENV.readinessMode]: 'signals',
          POWERTOOLS_SERVICE_NAME: 'statsig-s3-validator',
          POWERTOOLS_METRICS_NAMESPACE: 'StatsigS3Ingestion',
          [ENV.eventBusName]: Match.anyValue(),
          [ENV.alertsTopicArn]: { Ref: logicalId(s.stack, s.ingestion.alertsTopic) },
        },
      },
    });
  });

  test('keeps its logs 90 days in its own log group, with no managed policy', () => {
    s.template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
    const role = Object.entries(s.template.findResources('AWS::IAM::Role')).find(([id]) =>
      id.startsWith('IngestionValidatorRole'),
    )![1];
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  test('may do exactly what the handler needs on the bucket, the bus, the topic and the queue', () => {
    const byAction = Object.fromEntries(
      policyStatements(s.template, 'IngestionValidatorRoleDefaultPolicy').map((st) => [
        [st.Action].flat().join(' '),
        st.Resource,
      ]),
    );
    expect(byAction).toEqual({
      'logs:CreateLogStream logs:PutLogEvents': {
        'Fn::GetAtt': [expect.stringMatching(/^IngestionValidatorLogs/), 'Arn'],
      },
      's3:GetObject': ['events/', 'metrics/', 'signals/', '_reports/', '_state/'].map(objectsUnder),
      's3:ListBucket': bucketArn,
      's3:PutObject': ['_quarantine/', '_reports/', '_state/', 'signals/'].map(objectsUnder),
      's3:GetObjectVersion s3:GetObjectTagging s3:GetObjectVersionTagging s3:DeleteObject': [
        'events/',
        'metrics/',
        'signals/',
      ].map(objectsUnder),
      's3:PutObjectTagging': objectsUnder('_quarantine/'),
      'events:PutEvents': expect.anything(),
      'sns:Publish': { Ref: logicalId(s.stack, s.ingestion.alertsTopic) },
      'kms:Decrypt kms:GenerateDataKey*': expect.anything(),
      'sqs:ReceiveMessage sqs:ChangeMessageVisibility sqs:GetQueueUrl sqs:DeleteMessage sqs:GetQueueAttributes': {
        'Fn::GetAtt': [logicalId(s.stack, s.ingestion.queue), 'Arn'],
      },
    });
  });

  test('lists only the prefixes it reads, and the quarantine readiness checks', () => {
    const list = policyStatements(s.template, 'IngestionValidatorRoleDefaultPolicy').find(
      (st) => st.Action === 's3:ListBucket',
    );
    expect(list!.Condition).toEqual({
      StringLike: { 's3:prefix': ['events/*', 'metrics/*', 'signals/*', '_reports/*', '_state/*', '_quarantine/*'] },
    });
  });

  test('an hourly schedule sends it the readiness check for the bucket, and nothing else may invoke it that way', () => {
    const rules = Object.values(s.template.findResources('AWS::Events::Rule'));
    expect(rules).toHaveLength(1);
    expect(rules[0].Properties).toMatchObject({
      ScheduleExpression: 'cron(1 * * * ? *)',
      State: 'ENABLED',
      Targets: [
        {
          Arn: { 'Fn::GetAtt': [logicalId(s.stack, s.ingestion.validatorFunction), 'Arn'] },
          Input: { 'Fn::Join': ['', ['{"kind":"readiness-check","bucket":"', { Ref: bucketId }, '"}']] },
          RetryPolicy: { MaximumRetryAttempts: 2 },
        },
      ],
    });
    s.template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^IngestionReadinessSchedule'), 'Arn'] },
    });
  });

  test('publishes events to the default bus', () => {
    const putEvents = policyStatements(s.template, 'IngestionValidatorRoleDefaultPolicy').find(
      (st) => st.Action === 'events:PutEvents',
    );
    expect(JSON.stringify(putEvents!.Resource)).toContain(':event-bus/default');
  });
});

describe('alerts', () => {
  test('the topic is KMS-encrypted with a rotated key CloudWatch may use, and TLS-only', () => {
    const topic = Object.values(s.template.findResources('AWS::SNS::Topic'))[0];
    expect(topic.Properties.KmsMasterKeyId).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^IngestionAlertsKey/), 'Arn'],
    });
    s.template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
    s.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  test('alarms on a non-empty DLQ, function errors and a stalled queue notify the topic', () => {
    const topicRef = { Ref: logicalId(s.stack, s.ingestion.alertsTopic) };
    const alarms = Object.values(s.template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    // The data alarms (rejections, freshness) have tests of their own: data-alarms.test.ts.
    const plumbing = alarms.filter((a) => a.Namespace !== METRICS_NAMESPACE);
    expect(plumbing.map((a) => [a.MetricName, a.Threshold])).toEqual([
      ['ApproximateNumberOfMessagesVisible', 1],
      ['Errors', 1],
      ['ApproximateAgeOfOldestMessage', 1800],
    ]);
    for (const alarm of plumbing) expect(alarm.TreatMissingData).toBe('notBreaching');
    for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([topicRef]);
  });
});
