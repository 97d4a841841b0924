import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { type Construct } from 'constructs';
import { METRIC_DIMENSIONS, METRICS, METRICS_NAMESPACE, SERVICE_DIMENSION } from '../../lambda/wire/metrics';
import { validatorMetric } from './metrics';

export interface DashboardSources {
  readonly datasets: readonly string[];
  readonly queue: sqs.IQueue;
  readonly deadLetterQueue: sqs.IQueue;
  readonly validator: lambda.IFunction;
}

const WIDTH = 8;
const HEIGHT = 6;

/**
 * One page answering "is data flowing, is it good, is Statsig up to date": verdicts and volume first, then why
 * files fail, how long judging takes and how far Statsig lags, then waiting days and the plumbing.
 */
export function ingestionDashboard(scope: Construct, sources: DashboardSources): cloudwatch.Dashboard {
  const dashboard = new cloudwatch.Dashboard(scope, 'Dashboard', {
    defaultInterval: Duration.days(1),
  });
  dashboard.addWidgets(
    graph('Files validated (valid), per dataset', perDataset(sources.datasets, METRICS.filesValidated)),
    graph('Files rejected (quarantined), per dataset', perDataset(sources.datasets, METRICS.filesRejected)),
    graph('Rows validated, per dataset', perDataset(sources.datasets, METRICS.rows)),
  );
  dashboard.addWidgets(
    graph('Rejections by rule (errors per rule id)', [rejectionsByRule()]),
    graph('Validation time per file (p50, p99)', [
      validatorMetric(METRICS.duration, { statistic: cloudwatch.Stats.p(50), label: 'p50' }),
      validatorMetric(METRICS.duration, { statistic: cloudwatch.Stats.p(99), label: 'p99' }),
    ]),
    graph(
      'Hours since the last published day ended (UTC−8)',
      sources.datasets.map((dataset) =>
        validatorMetric(METRICS.readinessLag, { dataset, label: dataset, period: Duration.hours(1) }),
      ),
    ),
  );
  dashboard.addWidgets(
    graph('Days waiting: pending and held behind an earlier day', [
      validatorMetric(METRICS.pendingDays, { label: 'pending', period: Duration.hours(1) }),
      validatorMetric(METRICS.heldDays, { label: 'held', period: Duration.hours(1) }),
    ]),
    graph('Queue: age of the oldest S3 notification, and dead letters', [
      sources.queue.metricApproximateAgeOfOldestMessage({ label: 'oldest notification (seconds)' }),
      sources.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        label: 'in the dead-letter queue',
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
    ]),
    graph('Validator function: errors and throttles', [
      sources.validator.metricErrors({ label: 'errors', statistic: cloudwatch.Stats.SUM }),
      sources.validator.metricThrottles({ label: 'throttles', statistic: cloudwatch.Stats.SUM }),
    ]),
  );
  return dashboard;
}

function graph(title: string, left: cloudwatch.IMetric[]): cloudwatch.GraphWidget {
  return new cloudwatch.GraphWidget({
    title,
    left,
    width: WIDTH,
    height: HEIGHT,
    legendPosition: cloudwatch.LegendPosition.BOTTOM,
  });
}

/** The total beside each dataset's series, so that the graph reads the same whichever series the function emits. */
function perDataset(datasets: readonly string[], metricName: string): cloudwatch.IMetric[] {
  return [
    validatorMetric(metricName, { label: 'all datasets' }),
    ...datasets.map((dataset) => validatorMetric(metricName, { dataset, label: dataset })),
  ];
}

/** Rule ids are open-ended (severity overrides turn warnings into errors), so the graph searches for every rule's series. */
function rejectionsByRule(): cloudwatch.MathExpression {
  const [[serviceKey, serviceName]] = Object.entries(SERVICE_DIMENSION);
  const schema = `{${METRICS_NAMESPACE},${serviceKey},${METRIC_DIMENSIONS.rule}}`;
  return new cloudwatch.MathExpression({
    expression: `SEARCH('${schema} ${serviceKey}="${serviceName}" MetricName="${METRICS.rejectionsByRule}"', 'Sum', 300)`,
    label: '',
    usingMetrics: {},
    period: Duration.minutes(5),
  });
}
