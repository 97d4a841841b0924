import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { type Construct } from 'constructs';
import { METRICS } from '../../lambda/wire/metrics';
import { validatorMetric } from './metrics';

/** A day ends every 24 hours, so a day that ended `hours` ago is unpublished once no day was published for 24 + `hours`. */
const HOURS_PER_DAY = 24;
/** CloudWatch evaluates an alarm over at most seven days (period × evaluation periods, for periods of an hour or more). */
const MAX_EVALUATION_HOURS = 7 * HOURS_PER_DAY;
export const MAX_FRESHNESS_HOURS = MAX_EVALUATION_HOURS - HOURS_PER_DAY;
export const DEFAULT_FRESHNESS_HOURS = 24;

export interface DataAlarms {
  readonly filesRejected: cloudwatch.Alarm;
  /** One per dataset readiness waits for. */
  readonly freshness: Readonly<Record<string, cloudwatch.Alarm>>;
}

/**
 * Alarms about the data rather than the plumbing: any rejected file, and a dataset whose days stop reaching Statsig.
 * Freshness is judged on publishes, so it also fires when nothing arrives at all: silence is what it exists to catch.
 */
export function dataAlarms(
  scope: Construct,
  datasets: readonly string[],
  topic: sns.ITopic,
  freshnessHours: number,
): DataAlarms {
  const action = new SnsAction(topic);
  const filesRejected = new cloudwatch.Alarm(scope, 'FilesRejected', {
    metric: validatorMetric(METRICS.filesRejected, { period: Duration.minutes(5) }),
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    alarmDescription: 'Files were rejected and moved to _quarantine/; their reports under _reports/ say why',
  });
  filesRejected.addAlarmAction(action);

  const windowHours = HOURS_PER_DAY + freshnessHours;
  const freshness: Record<string, cloudwatch.Alarm> = {};
  for (const dataset of datasets) {
    const alarm = new cloudwatch.Alarm(scope, `Freshness${dataset[0].toUpperCase()}${dataset.slice(1)}`, {
      metric: validatorMetric(METRICS.daysPublished, { dataset, period: Duration.hours(1) }),
      threshold: 1,
      // Every hour of the window without a publish breaches; an hour with one ends the alarm.
      evaluationPeriods: windowHours,
      datapointsToAlarm: windowHours,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      alarmDescription: `No ${dataset} day was published to Statsig within ${freshnessHours} hours of its end (UTC−8): the readiness alerts on this topic name what the day waits for`,
    });
    alarm.addAlarmAction(action);
    freshness[dataset] = alarm;
  }
  return { filesRejected, freshness };
}

/** The freshness window must fit CloudWatch's seven-day evaluation limit. */
export function freshnessProblems(hours: number | undefined): string[] {
  if (hours === undefined || (Number.isInteger(hours) && hours >= 1 && hours <= MAX_FRESHNESS_HOURS)) return [];
  return [
    `freshnessAlarmHours: must be a whole number of hours from 1 to ${MAX_FRESHNESS_HOURS} (the alarm looks back 24 hours more, and CloudWatch looks back at most 7 days), got ${hours}`,
  ];
}
