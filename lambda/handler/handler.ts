import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { Announcer } from './announcements';
import { AwsClients } from './aws-clients';
import { HandlerConfig } from './config';
import { judgeObjectEvent } from './judge-object';
import { Readiness, readinessNotBuilt } from './markers';
import { RetryObserver, RetryPolicy } from './retry';
import { DEFAULT_RANGE_READ_LIMITS, RangeReadLimits } from './s3-byte-source';
import { parseNotification } from './s3-notification';
import { METRICS, recordOutcome } from './telemetry';

export interface HandlerDeps {
  readonly config: HandlerConfig;
  readonly clients: AwsClients;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** The policy the clients were built with; the byte source applies it to response bodies cut short. */
  readonly retry: RetryPolicy;
  readonly onRetry: RetryObserver;
  readonly readiness?: Readiness;
  readonly rangeLimits?: RangeReadLimits;
  /** "Now" for the future-timestamp checks and report times. */
  readonly now?: () => number;
}

export type SqsHandler = (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse>;

/**
 * The validator Lambda: SQS batches of S3 notifications in, one verdict per object version out. A record whose
 * processing throws is returned as a batch item failure, so SQS redelivers it and finally dead-letters it.
 *
 * Records are processed one after another: two deliveries of one object in a batch then see each other's report
 * instead of judging the file twice, and a Lambda's memory holds one file's row groups at a time.
 */
export function createHandler(deps: HandlerDeps): SqsHandler {
  const { config, clients, logger, metrics } = deps;
  const context = {
    s3: clients.s3,
    config,
    announcer: new Announcer(clients.eventBridge, clients.sns, config.eventBusName, config.alertsTopicArn),
    readiness: deps.readiness ?? readinessNotBuilt,
    rangeLimits: deps.rangeLimits ?? DEFAULT_RANGE_READ_LIMITS,
    retry: deps.retry,
    onRetry: deps.onRetry,
    now: deps.now ?? Date.now,
  };

  const processRecord = async (record: SQSRecord): Promise<void> => {
    try {
      const notification = parseNotification(record.body);
      if (notification.kind === 'test') {
        logger.info(`s3:TestEvent for bucket ${notification.bucket} acknowledged`, { messageId: record.messageId });
        return;
      }
      for (const event of notification.events) {
        recordOutcome(logger, metrics, await judgeObjectEvent(context, event));
      }
    } catch (error) {
      logger.error('record failed; SQS will deliver it again, then dead-letter it', { messageId: record.messageId, receiveCount: record.attributes?.ApproximateReceiveCount, error: error as Error });
      metrics.addMetric(METRICS.failedRecords, MetricUnit.Count, 1);
      throw error;
    }
  };

  return async (event, lambdaContext) => {
    if (lambdaContext) logger.addContext(lambdaContext);
    try {
      return await processPartialResponse(event, processRecord, new BatchProcessor(EventType.SQS), {
        context: lambdaContext,
        processInParallel: false,
        throwOnFullBatchFailure: false,
      });
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}
