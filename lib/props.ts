import type { Duration } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { StatsigDataset, TimestampUnit } from './data-options';
import type { Readiness } from './readiness';
import type { Reader } from './reader';
import type { ReaderListScope } from './reader-list-scope';

/** Properties of {@link StatsigS3Ingestion}. Every one is optional: the defaults are the secure, common setup. */
export interface StatsigS3IngestionProps {
  /**
   * An existing bucket to use instead of creating one. The construct cannot change an imported bucket's encryption,
   * versioning, lifecycle, access logging, public access block or object ownership, and adds bucket-policy
   * statements only when the bucket's policy is managed in this app (see the README).
   * @default - a new hardened bucket
   */
  readonly bucket?: s3.IBucket;

  /**
   * A customer-managed KMS key. For a new bucket: the bucket is encrypted with it (bucket key on). For an imported
   * bucket: the key the bucket already uses, so that the reader and the validator are granted its use through S3.
   * @default - SSE-S3
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * How long noncurrent object versions are kept before they expire. New buckets only.
   * @default Duration.days(90)
   */
  readonly noncurrentVersionExpiration?: Duration;

  /**
   * How long the product's objects under `_reports/` and `_quarantine/` (validation reports, quarantined files) and
   * readiness's verdict index under `_state/` are kept before they expire; at least 28 days, as readiness reads the
   * verdicts of days it has not published yet. New buckets only.
   * @default Duration.days(90)
   */
  readonly productObjectRetention?: Duration;

  /**
   * How long S3 server access logs are kept in the access-log bucket the construct creates. New buckets only.
   * @default Duration.days(365)
   */
  readonly accessLogRetention?: Duration;

  /**
   * Who reads the bucket for Statsig.
   * @default Reader.iamUser()
   */
  readonly reader?: Reader;

  /**
   * What the reader may list: the three Statsig prefixes, or the whole bucket (names only: the product's prefixes stay
   * unreadable) for a Statsig connection check that lists the bucket root (spec §8).
   * @default ReaderListScope.PREFIXES
   */
  readonly readerListScope?: ReaderListScope;

  /**
   * Serial of the reader's access key (`iamUser` only). Increase it to rotate the key: CloudFormation creates a new
   * key, stores it in the same secret and deletes the old key, so hand the new secret to Statsig right after deploy.
   * @default 1
   */
  readonly accessKeySerial?: number;

  /**
   * How readiness is published to Statsig.
   * @default Readiness.signals()
   */
  readonly readiness?: Readiness;

  /**
   * The first day readiness considers, `YYYY-MM-DD`: earlier days neither block later ones nor get published. Set it
   * to adopt a bucket whose history should (or should not) be published; Statsig ingests at most four weeks back.
   * @default - 28 days before the first evaluation, recorded in the readiness state
   */
  readonly readinessStartDay?: string;

  /**
   * How long after a day ends (UTC−8) a day with data may stay unpublished before one alert and one
   * `Readiness Waiting` event per day and reason name what holds it. At most 7 days.
   * @default Duration.hours(6)
   */
  readonly readinessGracePeriod?: Duration;

  /**
   * The daily datasets you load; readiness waits for all of them.
   * @default [StatsigDataset.EVENTS, StatsigDataset.METRICS]
   */
  readonly datasets?: StatsigDataset[];

  /**
   * Custom ID types your metrics' `id_type` may hold, in addition to Statsig's `user_id` and `stable_id`.
   * Case-sensitive, as in Statsig.
   * @default - none
   */
  readonly idTypes?: string[];

  /**
   * Unit of integer `timestamp` values in events.
   * @default TimestampUnit.SECONDS
   */
  readonly timestampUnit?: TimestampUnit;

  /**
   * Severity overrides by rule id (the README's rule table): `'warning'` downgrades an error rule, `'error'` raises a
   * warning rule. Rules that make a file unreadable for Statsig (`parquet.*`, `path.*`, `schema.missing-column`,
   * `schema.wrong-type`, `schema.column-case`, `schema.nested-column`) cannot be downgraded: synth fails naming them.
   * Reports mark each overridden finding. The CLI takes the same as `--severity-overrides rule=severity,...`.
   * @default - the catalogue's severities
   */
  readonly severityOverrides?: Record<string, 'error' | 'warning'>;

  /**
   * Memory of the validator function in MB. More memory also means more CPU: Lambda gives one vCPU of time per
   * 1,769 MB, and the validator runs one decoder process per whole vCPU (one at the default, two from 3,538 MB);
   * half the memory is the decoders' budget, which bounds the largest row group a file may have.
   * @default 2048
   */
  readonly memorySize?: number;

  /**
   * Timeout of the validator function; the queue's visibility timeout is six times this.
   * @default Duration.minutes(5)
   */
  readonly timeout?: Duration;

  /**
   * Reserved concurrency of the validator function, at least 2 (the queue's event source is capped to the same
   * value, so messages are not throttled into the dead-letter queue).
   * @default - no reservation
   */
  readonly reservedConcurrentExecutions?: number;

  /**
   * Retention of the validator function's logs.
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * The EventBridge bus that receives outcome events (file validated, file rejected, day ready, readiness held).
   * @default - the account's default event bus
   */
  readonly eventBus?: events.IEventBus;

  /**
   * The SNS topic for alerts to people: rejected files, held readiness, and the construct's alarms.
   * @default - a new topic, encrypted with a customer-managed key of its own
   */
  readonly alertsTopic?: sns.ITopic;

  /**
   * Whether to create the CloudWatch dashboard: verdicts and rows per dataset, rejections by rule, validation time,
   * readiness lag, waiting days, the queue and the function.
   * @default true
   */
  readonly dashboard?: boolean;

  /**
   * The freshness alarm goes off when a dataset has had no day published to Statsig for this many hours after a day
   * ended (UTC−8). A whole number from 1 to 144: CloudWatch looks back at most seven days, and the alarm looks back
   * a day more than this.
   * @default 24
   */
  readonly freshnessAlarmHours?: number;
}
