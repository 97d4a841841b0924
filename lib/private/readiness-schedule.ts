import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { type Construct } from 'constructs';
import { scheduledCheck } from '../../lambda/wire/scheduled-check';

/**
 * Evaluates readiness every hour, a minute past: a day whose marker came before it ended in UTC−8 (a producer on UTC
 * days, say) has nothing else to trigger its publication once it ends, at 08:00 UTC. It also retries days whose
 * Statsig API call failed, and catches any trigger lost on the way.
 */
export function readinessSchedule(scope: Construct, bucket: s3.IBucket, validator: lambda.IFunction): events.Rule {
  return new events.Rule(scope, 'ReadinessSchedule', {
    description: 'Hourly readiness check of the Statsig ingestion bucket',
    schedule: events.Schedule.cron({ minute: '1' }),
    targets: [
      new targets.LambdaFunction(validator, {
        event: events.RuleTargetInput.fromObject(scheduledCheck(bucket.bucketName)),
        retryAttempts: 2,
      }),
    ],
  });
}
