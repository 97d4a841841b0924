import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { SqsDestination } from 'aws-cdk-lib/aws-s3-notifications';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { type Construct } from 'constructs';
import { STATSIG_PREFIXES } from './prefixes';
import type { ResolvedProps } from './resolve-props';

export interface EventPipeline {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
}

/** Failed messages get this many deliveries before they land in the dead-letter queue. */
const MAX_RECEIVE_COUNT = 5;

/**
 * S3 object-created notifications for the Statsig prefixes → queue (with dead-letter queue) → the validator.
 * The queues use SQS-managed encryption: S3 cannot deliver to a queue encrypted with the AWS-managed `aws/sqs` key.
 */
export function eventPipeline(
  scope: Construct,
  bucket: s3.IBucket,
  validator: lambda.IFunction,
  props: ResolvedProps,
): EventPipeline {
  const deadLetterQueue = new sqs.Queue(scope, 'DeadLetterQueue', {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  const queue = new sqs.Queue(scope, 'Queue', {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    // AWS's advice for Lambda event sources: six times the function timeout, so retries never overlap a run.
    visibilityTimeout: Duration.seconds(props.timeout.toSeconds() * 6),
    deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
  });
  for (const prefix of STATSIG_PREFIXES) {
    bucket.addEventNotification(s3.EventType.OBJECT_CREATED, new SqsDestination(queue), { prefix });
  }
  validator.addEventSource(
    new SqsEventSource(queue, {
      reportBatchItemFailures: true,
      maxConcurrency: props.reservedConcurrentExecutions,
    }),
  );
  return { queue, deadLetterQueue };
}
