import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { StatsigDataset, StatsigS3Ingestion } from '../../lib';
import { METRICS, METRICS_NAMESPACE, SERVICE_DIMENSION } from '../../lambda/wire/metrics';
import { logicalId, synthIngestion, type Synthesized } from './support/synth';

const SERVICE = [{ Name: 'service', Value: SERVICE_DIMENSION.service }];

function topicRef(s: Synthesized): unknown {
  return { Ref: logicalId(s.stack, s.ingestion.alertsTopic as unknown as { node: { defaultChild?: unknown } }) };
}

describe('with the defaults', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synthIngestion();
  });

  test('any rejected file raises an alarm to the alerts topic', () => {
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: METRICS_NAMESPACE,
      MetricName: METRICS.filesRejected,
      Dimensions: SERVICE,
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [topicRef(s)],
    });
  });

  test.each(['events', 'metrics'])(
    'freshness of %s: a day and 24 hours without a published day, silence included, raises an alarm',
    (dataset) => {
      s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: METRICS_NAMESPACE,
        MetricName: METRICS.daysPublished,
        Dimensions: [{ Name: 'Dataset', Value: dataset }, ...SERVICE],
        Statistic: 'Sum',
        Period: 3600,
        EvaluationPeriods: 48,
        DatapointsToAlarm: 48,
        Threshold: 1,
        ComparisonOperator: 'LessThanThreshold',
        TreatMissingData: 'breaching',
        AlarmActions: [topicRef(s)],
      });
    },
  );

  test('six alarms in all: the three on the plumbing, rejections, and freshness per dataset', () => {
    s.template.resourceCountIs('AWS::CloudWatch::Alarm', 6);
    expect(Object.keys(s.ingestion.freshnessAlarms).sort()).toEqual(['events', 'metrics']);
  });
});

test('freshnessAlarmHours widens the freshness window, for the datasets in use only', () => {
  const s = synthIngestion(() => ({ freshnessAlarmHours: 6, datasets: [StatsigDataset.METRICS] }));
  const freshness = s.template.findResources('AWS::CloudWatch::Alarm', {
    Properties: { MetricName: METRICS.daysPublished },
  });
  expect(Object.values(freshness).map((alarm) => alarm.Properties.EvaluationPeriods)).toEqual([30]);
  expect(Object.values(freshness)[0].Properties.Dimensions).toContainEqual({ Name: 'Dataset', Value: 'metrics' });
});

test.each([0, 145, 1.5])('freshnessAlarmHours %p is refused, naming the prop and the range', (hours) => {
  expect(() => synthIngestion(() => ({ freshnessAlarmHours: hours }))).toThrow(
    `freshnessAlarmHours: must be a whole number of hours from 1 to 144 (the alarm looks back 24 hours more, and CloudWatch looks back at most 7 days), got ${hours}`,
  );
});

describe('metric helpers', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synthIngestion();
  });
  const dims = (metric: cloudwatch.Metric) => metric.dimensions;

  test.each([
    ['metricFilesValidated', METRICS.filesValidated, 'Sum'],
    ['metricFilesRejected', METRICS.filesRejected, 'Sum'],
    ['metricRowsValidated', METRICS.rows, 'Sum'],
    ['metricValidationDuration', METRICS.duration, 'Average'],
    ['metricDaysPublished', METRICS.daysPublished, 'Sum'],
    ['metricReadinessLag', METRICS.readinessLag, 'Maximum'],
    ['metricPendingDays', METRICS.pendingDays, 'Maximum'],
    ['metricHeldDays', METRICS.heldDays, 'Maximum'],
  ] as const)('%s reads %s, %s over 5 minutes, with the service dimension', (helper, name, statistic) => {
    const metric = s.ingestion[helper]();
    expect([metric.namespace, metric.metricName, metric.statistic, metric.period.toSeconds()]).toEqual([
      METRICS_NAMESPACE,
      name,
      statistic,
      300,
    ]);
    expect(dims(metric)).toEqual(SERVICE_DIMENSION);
  });

  test('options override the defaults, as in aws-cdk, and dataset selects the per-dataset series', () => {
    const metric = s.ingestion.metricValidationDuration({
      statistic: 'p99',
      period: Duration.hours(1),
      dataset: StatsigDataset.EVENTS,
    });
    expect([metric.statistic, metric.period.toSeconds()]).toEqual(['p99', 3600]);
    expect(dims(metric)).toEqual({ ...SERVICE_DIMENSION, Dataset: 'events' });
  });

  test('an alarm made from a helper watches the series the construct alarms on', () => {
    const app = new App();
    const stack = new Stack(app, 'Mine');
    const ingestion = new StatsigS3Ingestion(stack, 'Ingestion');
    ingestion.metricFilesRejected().createAlarm(stack, 'MyRejections', { threshold: 1, evaluationPeriods: 1 });
    const alarms = Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm', {
      Properties: { MetricName: METRICS.filesRejected },
    });
    const watched = Object.values(alarms).map(({ Properties: p }) =>
      JSON.stringify([p.Namespace, p.MetricName, p.Dimensions, p.Statistic, p.Period]),
    );
    expect(watched).toHaveLength(2);
    expect(new Set(watched).size).toBe(1);
  });
});
