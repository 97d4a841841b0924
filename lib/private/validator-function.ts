import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { type Construct } from 'constructs';
import { configToEnvironment } from '../../lambda/wire/config';
import { POWERTOOLS_ENV, PRODUCT_PREFIXES } from '../../lambda/wire/environment';
import { ReadinessMode } from '../readiness';
import { validatorBundleDir } from './bundle-path';
import { viaS3 } from './kms-via-s3';
import { OWN_PREFIXES, SIGNALS_PREFIX, STATSIG_PREFIXES, under } from './prefixes';
import type { ResolvedProps } from './resolve-props';

export interface ValidatorTargets {
  readonly bucket: s3.IBucket;
  readonly eventBus: events.IEventBus;
  readonly alertsTopic: sns.ITopic;
}

/** The validator Lambda, with a role that holds exactly what the handler does and nothing more. */
export function validatorFunction(scope: Construct, props: ResolvedProps, targets: ValidatorTargets): lambda.Function {
  // An own role and log group instead of the default: the managed AWSLambdaBasicExecutionRole may write to any group.
  const role = new iam.Role(scope, 'ValidatorRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  const logGroup = new logs.LogGroup(scope, 'ValidatorLogs', { retention: props.logRetention });
  logGroup.grantWrite(role);

  const fn = new lambda.Function(scope, 'Validator', {
    description: 'Validates parquet files for Statsig, quarantines invalid ones and publishes day readiness',
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    handler: 'index.handler',
    code: lambda.Code.fromAsset(validatorBundleDir()),
    memorySize: props.memorySize,
    timeout: props.timeout,
    reservedConcurrentExecutions: props.reservedConcurrentExecutions,
    role,
    logGroup,
    environment: {
      ...configToEnvironment({
        ...props.functionSettings,
        eventBusName: targets.eventBus.eventBusArn,
        alertsTopicArn: targets.alertsTopic.topicArn,
      }),
      ...POWERTOOLS_ENV,
    },
  });
  grantBucketAccess(role, targets.bucket, props);
  targets.eventBus.grantPutEventsTo(role);
  targets.alertsTopic.grantPublish(role);
  if (props.readiness.mode === ReadinessMode.API) {
    const secret = props.readiness.apiSecret!;
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }),
    );
    secret.encryptionKey?.grantDecrypt(role);
  }
  return fn;
}

/**
 * Reads the data prefixes and the product's own reports and state; lists those and the quarantine (readiness looks for
 * files quarantined after a day's marker); writes reports, quarantine, state, and signals only in signals mode (the
 * two readiness modes exclude each other); deletes from the data prefixes only to complete a quarantine move (the
 * bucket is versioned, so nothing is lost).
 */
function grantBucketAccess(role: iam.IRole, bucket: s3.IBucket, props: ResolvedProps): void {
  const key = props.encryptionKey;
  const readable = [...STATSIG_PREFIXES, PRODUCT_PREFIXES.reports, PRODUCT_PREFIXES.state];
  const listable = [...readable, PRODUCT_PREFIXES.quarantine];
  const writable =
    props.readiness.mode === ReadinessMode.SIGNALS ? [...OWN_PREFIXES, SIGNALS_PREFIX] : [...OWN_PREFIXES];
  const objects = (prefixes: readonly string[]) => prefixes.map((prefix) => bucket.arnForObjects(under(prefix)));
  const statements = [
    new iam.PolicyStatement({ sid: 'ReadObjects', actions: ['s3:GetObject'], resources: objects(readable) }),
    new iam.PolicyStatement({
      sid: 'ListObjects',
      actions: ['s3:ListBucket'],
      resources: [bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': listable.map(under) } },
    }),
    new iam.PolicyStatement({ sid: 'WriteObjects', actions: ['s3:PutObject'], resources: objects(writable) }),
    // The quarantine copy names the judged version, so it reads that version; the delete then removes the original.
    // A copy carries the object's tags along, which S3 allows only with the tagging actions on both sides.
    new iam.PolicyStatement({
      sid: 'QuarantineMove',
      actions: ['s3:GetObjectVersion', 's3:GetObjectTagging', 's3:GetObjectVersionTagging', 's3:DeleteObject'],
      resources: objects(STATSIG_PREFIXES),
    }),
    new iam.PolicyStatement({
      sid: 'QuarantineTags',
      actions: ['s3:PutObjectTagging'],
      resources: objects([PRODUCT_PREFIXES.quarantine]),
    }),
  ];
  if (key) {
    statements.push(
      new iam.PolicyStatement({
        sid: 'EncryptThroughS3',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [key.keyArn],
        conditions: viaS3(role),
      }),
    );
  }
  statements.forEach((statement) => role.addToPrincipalPolicy(statement));
}
