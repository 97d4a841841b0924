import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as cxapi from 'aws-cdk-lib/cx-api';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { alarms, alertsTopic } from './private/alerts';
import { ingestionBuckets } from './private/bucket';
import { ingestionDashboard } from './private/dashboard';
import { dataAlarms } from './private/data-alarms';
import { eventPipeline } from './private/event-pipeline';
import { validatorMetric } from './private/metrics';
import { grantProducerWrite } from './private/producer-access';
import { acknowledgeNagFindings } from './private/nag-acknowledgements';
import { prefixFolders } from './private/prefix-folders';
import { readinessSchedule } from './private/readiness-schedule';
import { grantReader } from './private/reader-access';
import { resolveProps } from './private/resolve-props';
import { validatorFunction } from './private/validator-function';
import type { StatsigDataset } from './data-options';
import type { IngestionMetricOptions } from './metric-options';
import type { StatsigS3IngestionProps } from './props';
import { METRICS } from '../lambda/wire/metrics';

/**
 * Statsig's S3 ingestion, set up safely: a hardened bucket with the `events/`, `metrics/` and `signals/` prefixes, a
 * least-privilege reader for Statsig, and a validator that keeps invalid parquet away from Statsig and publishes day
 * readiness.
 */
export class StatsigS3Ingestion extends Construct {
  /** The bucket Statsig reads (created, or the one passed in). */
  public readonly bucket: s3.IBucket;
  /** The bucket receiving the data bucket's server access logs; undefined when the bucket was passed in. */
  public readonly logBucket?: s3.IBucket;
  /** The reader IAM user (`Reader.iamUser()` only). */
  public readonly readerUser?: iam.IUser;
  /** The secret holding the reader's access key, bucket, region and prefixes as JSON (`Reader.iamUser()` only). */
  public readonly readerCredentials?: secretsmanager.ISecret;
  /** The queue of S3 object-created notifications. */
  public readonly queue: sqs.IQueue;
  /** Notifications that failed every delivery. */
  public readonly deadLetterQueue: sqs.IQueue;
  /** The validator Lambda function. */
  public readonly validatorFunction: lambda.IFunction;
  /** The topic for alerts to people (created, or the one passed in). */
  public readonly alertsTopic: sns.ITopic;
  /** The bus receiving outcome events. */
  public readonly eventBus: events.IEventBus;
  /** The operations dashboard; undefined when the `dashboard` prop is false. */
  public readonly dashboard?: cloudwatch.Dashboard;
  /** Goes off on any rejected file. */
  public readonly filesRejectedAlarm: cloudwatch.IAlarm;
  /** Per dataset readiness waits for: goes off when no day of it reached Statsig in time (`freshnessAlarmHours`). */
  public readonly freshnessAlarms: Readonly<Record<string, cloudwatch.IAlarm>>;
  readonly #datasets: readonly string[];
  readonly #encryptionKey?: kms.IKey;

  constructor(scope: Construct, id: string, props: StatsigS3IngestionProps = {}) {
    super(scope, id);
    // Access-log delivery by bucket policy, whatever the app's flags: the ACL way conflicts with ACLs being off.
    this.node.setContext(cxapi.S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);
    const resolved = resolveProps(props);

    const { bucket, logBucket } = ingestionBuckets(this, resolved);
    this.bucket = bucket;
    this.logBucket = logBucket;
    prefixFolders(this, bucket, resolved.encryptionKey);

    const reader = grantReader(this, bucket, resolved);
    this.readerUser = reader.user;
    this.readerCredentials = reader.credentials;

    this.eventBus = resolved.eventBus ?? events.EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    this.alertsTopic = alertsTopic(this, resolved);
    this.validatorFunction = validatorFunction(this, resolved, {
      bucket,
      eventBus: this.eventBus,
      alertsTopic: this.alertsTopic,
    });
    const pipeline = eventPipeline(this, bucket, this.validatorFunction, resolved);
    this.queue = pipeline.queue;
    this.deadLetterQueue = pipeline.deadLetterQueue;
    alarms(this, { ...pipeline, validator: this.validatorFunction }, this.alertsTopic, resolved);
    readinessSchedule(this, bucket, this.validatorFunction);
    const datasets = resolved.functionSettings.datasets;
    this.#datasets = datasets;
    this.#encryptionKey = resolved.encryptionKey;
    const data = dataAlarms(this, datasets, this.alertsTopic, resolved.freshnessAlarmHours);
    this.filesRejectedAlarm = data.filesRejected;
    this.freshnessAlarms = data.freshness;
    if (props.dashboard !== false) {
      this.dashboard = ingestionDashboard(this, { ...pipeline, datasets, validator: this.validatorFunction });
    }

    acknowledgeNagFindings(this, bucket, reader.credentials);
  }

  /**
   * Lets a producer deliver day folders: `s3:PutObject` (in one request or as a multipart upload, which it may also
   * abort) on the data files and `_SUCCESS` markers under `<dataset>/`, and the KMS key's data keys through S3 when
   * the bucket has one. Nothing else: no `signals/`, no read, list or delete, none of the product's own prefixes.
   * @param producer the role, user or service that writes the files
   * @param dataset the one dataset it writes; by default every dataset readiness waits for (the `datasets` prop)
   */
  public grantWrite(producer: iam.IGrantable, dataset?: StatsigDataset): iam.Grant {
    return grantProducerWrite(producer, this.bucket, this.#encryptionKey, dataset ? [dataset] : this.#datasets);
  }

  /** Any of the validator's metrics by name, in its namespace and with its dimensions. */
  public metric(metricName: string, options?: IngestionMetricOptions): cloudwatch.Metric {
    return validatorMetric(metricName, options);
  }

  /** Files judged valid. @default sum over 5 minutes */
  public metricFilesValidated(options?: IngestionMetricOptions): cloudwatch.Metric {
    return this.metric(METRICS.filesValidated, options);
  }

  /** Files judged invalid and moved to `_quarantine/`. @default sum over 5 minutes */
  public metricFilesRejected(options?: IngestionMetricOptions): cloudwatch.Metric {
    return this.metric(METRICS.filesRejected, options);
  }

  /** Rows of the files judged. @default sum over 5 minutes */
  public metricRowsValidated(options?: IngestionMetricOptions): cloudwatch.Metric {
    return this.metric(METRICS.rows, options);
  }

  /** Milliseconds to judge one file. @default average over 5 minutes */
  public metricValidationDuration(options?: IngestionMetricOptions): cloudwatch.Metric {
    return this.metric(METRICS.duration, options);
  }

  /** Days published to Statsig, per dataset with `dataset`. @default sum over 5 minutes */
  public metricDaysPublished(options?: IngestionMetricOptions): cloudwatch.Metric {
    return this.metric(METRICS.daysPublished, options);
  }

  /** Hours since the end (UTC−8) of the last published day, per dataset with `dataset`. @default maximum over 5 minutes */
  public metricReadinessLag(options?: IngestionMetricOptions): cloudwatch.Metric {
    return this.metric(METRICS.readinessLag, options);
  }

  /** Days that have ended and wait for their marker or for pending files. @default maximum over 5 minutes */
  public metricPendingDays(options?: IngestionMetricOptions): cloudwatch.Metric {
    return this.metric(METRICS.pendingDays, options);
  }

  /** Complete days held behind an earlier day that is not complete. @default maximum over 5 minutes */
  public metricHeldDays(options?: IngestionMetricOptions): cloudwatch.Metric {
    return this.metric(METRICS.heldDays, options);
  }
}
