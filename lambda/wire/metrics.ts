import { POWERTOOLS_ENV } from './environment';

/**
 * The validator's CloudWatch metrics, named once: the function emits them and the construct's dashboard, alarms and
 * `metric…()` helpers read them, so a renamed metric cannot leave a graph or an alarm silently empty.
 */
export const METRICS = {
  filesValidated: 'FilesValidated',
  filesRejected: 'FilesRejected',
  rows: 'RowsValidated',
  bytesRead: 'BytesRead',
  duration: 'ValidationDuration',
  duplicates: 'DuplicateDeliveries',
  stale: 'StaleEvents',
  skipped: 'SkippedObjects',
  markers: 'MarkersReceived',
  retries: 'AwsRetries',
  failedRecords: 'FailedRecords',
  /** Readiness, on each publish: 1 per dataset whose day was published. The freshness alarm keys on it. */
  daysPublished: 'DaysPublished',
  /** Readiness, per dataset: hours since the end (UTC−8) of the dataset's last published day. */
  readinessLag: 'ReadinessLagHours',
  /** Readiness: days that have ended and wait for their marker or for files still pending. */
  pendingDays: 'PendingDays',
  /** Readiness: complete days held behind an earlier day that is not (spec §7, gap rule). */
  heldDays: 'HeldDays',
  /** A rejected file's errors, counted per rule id. */
  rejectionsByRule: 'RuleRejections',
} as const;

export const METRICS_NAMESPACE = POWERTOOLS_ENV.POWERTOOLS_METRICS_NAMESPACE;

/**
 * Dimensions. Every metric carries Powertools' default `service` dimension; a metric broken down by dataset or rule
 * carries that one too, so a total and its breakdown are separate series.
 */
export const METRIC_DIMENSIONS = {
  service: 'service',
  dataset: 'Dataset',
  rule: 'Rule',
} as const;

/** The dimension every metric the function emits carries. */
export const SERVICE_DIMENSION = { [METRIC_DIMENSIONS.service]: POWERTOOLS_ENV.POWERTOOLS_SERVICE_NAME } as const;
