import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { METRIC_DIMENSIONS, METRICS, METRICS_NAMESPACE, SERVICE_DIMENSION } from '../../lambda/wire/metrics';

/** What each of the validator's metrics is summed or sampled as when the caller does not say. */
const DEFAULT_STATISTIC: Record<string, string> = {
  [METRICS.duration]: cloudwatch.Stats.AVERAGE,
  // Gauges: the latest reading matters, not how often it was taken.
  [METRICS.readinessLag]: cloudwatch.Stats.MAXIMUM,
  [METRICS.pendingDays]: cloudwatch.Stats.MAXIMUM,
  [METRICS.heldDays]: cloudwatch.Stats.MAXIMUM,
};

/**
 * One of the validator's metrics, in the namespace and with the dimensions the function emits it with; `dataset`
 * selects the per-dataset series. Options override the defaults, as aws-cdk's L2 `metric…()` helpers do.
 */
export function validatorMetric(
  metricName: string,
  options: cloudwatch.MetricOptions & { readonly dataset?: string } = {},
): cloudwatch.Metric {
  const { dataset, ...overrides } = options;
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    statistic: DEFAULT_STATISTIC[metricName] ?? cloudwatch.Stats.SUM,
    period: Duration.minutes(5),
    ...overrides,
    dimensionsMap: {
      ...SERVICE_DIMENSION,
      ...(dataset && { [METRIC_DIMENSIONS.dataset]: dataset }),
      ...overrides.dimensionsMap,
    },
  });
}
