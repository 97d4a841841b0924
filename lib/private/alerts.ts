import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { type Construct } from 'constructs';
import type { ResolvedProps } from './resolve-props';

/**
 * The topic for alerts to people. Alerts name files and quote offending values, so the topic is encrypted with a
 * customer-managed key: CloudWatch alarms cannot publish to a topic under the AWS-managed `aws/sns` key.
 */
export function alertsTopic(scope: Construct, props: ResolvedProps): sns.ITopic {
  if (props.alertsTopic) return props.alertsTopic;
  // A key of its own: the key policy must let CloudWatch use it, which an imported key's policy may not.
  const masterKey = new kms.Key(scope, 'AlertsKey', {
    description: 'Encrypts the Statsig ingestion alerts topic',
    enableKeyRotation: true,
  });
  masterKey.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'CloudWatchAlarmsPublish',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
    }),
  );
  return new sns.Topic(scope, 'AlertsTopic', { masterKey, enforceSSL: true });
}

export interface AlarmSources {
  readonly queue: sqs.IQueue;
  readonly deadLetterQueue: sqs.IQueue;
  readonly validator: lambda.IFunction;
}

/** Alarms for the three ways the pipeline can fail silently: poison messages, crashes, and a stalled queue. */
export function alarms(scope: Construct, sources: AlarmSources, topic: sns.ITopic, props: ResolvedProps): void {
  const period = Duration.minutes(5);
  // A message older than its whole retry window means processing is stuck, not just slow.
  const stalledAfter = props.timeout.toSeconds() * 6;
  const definitions: Array<[string, cloudwatch.IMetric, number, string]> = [
    [
      'DeadLetterQueueNotEmpty',
      sources.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
      1,
      'S3 notifications failed every retry and sit in the dead-letter queue; their files were never validated',
    ],
    [
      'ValidatorErrors',
      sources.validator.metricErrors({ period, statistic: 'Sum' }),
      1,
      'The validator function failed',
    ],
    [
      'QueueStalled',
      sources.queue.metricApproximateAgeOfOldestMessage({ period, statistic: 'Maximum' }),
      stalledAfter,
      `A queued S3 notification is older than ${stalledAfter} seconds`,
    ],
  ];
  const action = new SnsAction(topic);
  for (const [id, metric, threshold, description] of definitions) {
    const alarm = new cloudwatch.Alarm(scope, id, {
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(action);
  }
}
