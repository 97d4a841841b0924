import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { describe, type Outcome } from './outcome';
import { type RetryObserver } from '../bucket/retry';
import { METRICS } from '../wire/metrics';

/** Metric names live in the wire, where the construct's dashboard and alarms read them too. */
export { METRICS };

/** The one log line and the metrics of an outcome. */
export function recordOutcome(logger: Logger, metrics: Metrics, outcome: Outcome): void {
  const message = describe(outcome);
  if (outcome.kind === 'rejected' || outcome.kind === 'too-large') logger.warn(message, { outcome });
  else logger.info(message, { outcome });

  switch (outcome.kind) {
    case 'validated':
    case 'rejected':
    case 'too-large':
      // A file too large to check is not accepted: it counts with the rejected ones, whose alarm calls a person.
      metrics.addMetric(
        outcome.kind === 'validated' ? METRICS.filesValidated : METRICS.filesRejected,
        MetricUnit.Count,
        1,
      );
      if (!outcome.reused) {
        metrics.addMetric(METRICS.rows, MetricUnit.Count, outcome.rows);
        metrics.addMetric(METRICS.bytesRead, MetricUnit.Bytes, outcome.bytesRead);
        metrics.addMetric(METRICS.duration, MetricUnit.Milliseconds, outcome.durationMs);
      }
      return;
    case 'duplicate':
      return void metrics.addMetric(METRICS.duplicates, MetricUnit.Count, 1);
    case 'stale':
      return void metrics.addMetric(METRICS.stale, MetricUnit.Count, 1);
    case 'skipped':
      return void metrics.addMetric(METRICS.skipped, MetricUnit.Count, 1);
    case 'marker':
      return void metrics.addMetric(METRICS.markers, MetricUnit.Count, 1);
  }
}

/** Every retry of an AWS call or of a cut-short read is logged and counted: a rising count is throttling on its way. */
export function observeRetries(logger: Logger, metrics: Metrics): RetryObserver {
  return (notice) => {
    const error = notice.error as { name?: string; message?: string } | undefined;
    logger.warn('retrying after a transient failure', {
      attempt: notice.attempt,
      delayMs: notice.delayMs,
      errorType: notice.errorType,
      error: error?.name ?? error?.message,
    });
    metrics.addMetric(METRICS.retries, MetricUnit.Count, 1);
  };
}
