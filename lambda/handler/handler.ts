import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { Announcer } from '../bucket/announcements';
import { type AwsClients } from '../bucket/aws-clients';
import { type ValidatorConfig } from '../wire/config';
import { judgeObjectEvent } from './judge-object';
import { createReadiness } from '../readiness';
import { type Readiness } from '../readiness/port';
import { type RetryObserver, type RetryPolicy } from '../bucket/retry';
import { DEFAULT_RANGE_READ_LIMITS, type RangeReadLimits } from '../bucket/s3-byte-source';
import { parseNotification } from './s3-notification';
import { type Decoder } from '../validation';
import type { ScheduledCheck } from '../wire/scheduled-check';
import { parseScheduledCheck } from './scheduled-check';
import { METRICS, recordOutcome } from './telemetry';

/**
 * What an invocation keeps of its time to finish a file's verdict once validation stops: announce it, store its
 * report, tell readiness. Validation that would run into it ends in the too-large verdict instead (spec §6).
 */
export const VERDICT_RESERVE_MS = 20_000;

export interface HandlerDeps {
  readonly config: ValidatorConfig;
  readonly clients: AwsClients;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** The policy the clients were built with; the byte source applies it to response bodies cut short. */
  readonly retry: RetryPolicy;
  readonly onRetry: RetryObserver;
  /** Decodes the parquet files; whoever creates the handler creates it and closes it. */
  readonly decoder: Decoder;
  /** Readiness as configured, unless given. */
  readonly readiness?: Readiness;
  readonly rangeLimits?: RangeReadLimits;
  /** "Now" for the future-timestamp checks and report times. */
  readonly now?: () => number;
}

/** SQS batches of S3 notifications, and the construct's scheduled readiness check. */
export interface ValidatorHandler {
  (event: SQSEvent, context?: Context): Promise<SQSBatchResponse>;
  (event: ScheduledCheck, context?: Context): Promise<void>;
}

/**
 * The validator Lambda: SQS batches of S3 notifications in, one verdict per object version out. A record whose
 * processing throws is returned as a batch item failure, so SQS redelivers it and finally dead-letters it.
 *
 * Records are processed one after another: two deliveries of one object in a batch then see each other's report
 * instead of judging the file twice, and a Lambda's memory holds one file's row groups at a time.
 */
export function createHandler(deps: HandlerDeps): ValidatorHandler {
  const { config, clients, logger, metrics } = deps;
  const announcer = new Announcer(clients.eventBridge, clients.sns, config.eventBusName, config.alertsTopicArn);
  const now = deps.now ?? Date.now;
  const context = {
    s3: clients.s3,
    config,
    announcer,
    readiness:
      deps.readiness ??
      createReadiness({ config, clients, announcer, logger, retry: deps.retry, onRetry: deps.onRetry, now }),
    rangeLimits: deps.rangeLimits ?? DEFAULT_RANGE_READ_LIMITS,
    retry: deps.retry,
    onRetry: deps.onRetry,
    decoder: deps.decoder,
    now,
  };

  // Powertools hands each record the invocation's context: its deadline bounds every file of the batch.
  const processRecord = async (record: SQSRecord, lambdaContext?: Context): Promise<void> => {
    const timeLeft = lambdaContext && (() => lambdaContext.getRemainingTimeInMillis() - VERDICT_RESERVE_MS);
    try {
      const notification = parseNotification(record.body);
      if (notification.kind === 'test') {
        logger.info(`s3:TestEvent for bucket ${notification.bucket} acknowledged`, { messageId: record.messageId });
        return;
      }
      for (const event of notification.events) {
        recordOutcome(logger, metrics, await judgeObjectEvent(context, event, timeLeft));
      }
    } catch (error) {
      logger.error('record failed; SQS will deliver it again, then dead-letter it', {
        messageId: record.messageId,
        receiveCount: record.attributes?.ApproximateReceiveCount,
        error: error as Error,
      });
      metrics.addMetric(METRICS.failedRecords, MetricUnit.Count, 1);
      throw error;
    }
  };

  const runScheduledCheck = async (check: ScheduledCheck): Promise<void> => {
    const result = await context.readiness.onSchedule(check.bucket);
    logger.info(result.summary);
  };

  const handle = async (
    event: SQSEvent | ScheduledCheck,
    lambdaContext?: Context,
  ): Promise<SQSBatchResponse | void> => {
    if (lambdaContext) logger.addContext(lambdaContext);
    try {
      const check = parseScheduledCheck(event);
      // A failed scheduled check throws: Lambda retries asynchronous invocations, and the next hour's check follows.
      if (check) return await runScheduledCheck(check);
      return await processPartialResponse(event as SQSEvent, processRecord, new BatchProcessor(EventType.SQS), {
        context: lambdaContext,
        processInParallel: false,
        throwOnFullBatchFailure: false,
      });
    } finally {
      metrics.publishStoredMetrics();
    }
  };
  return handle as ValidatorHandler;
}
