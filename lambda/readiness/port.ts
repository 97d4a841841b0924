import type { DailyDataset } from '../wire/datasets';
import type { VerdictKind } from './wait-reasons';

/** A `_SUCCESS` marker written in a day folder: the producer says the day's files are all there. */
export interface Marker {
  readonly bucket: string;
  readonly key: string;
  readonly dataset: DailyDataset;
  readonly day: string;
  readonly eTag?: string;
  readonly versionId?: string;
}

/** A data file of a day folder got its verdict (or a redelivery found it): the day may have just become complete. */
export interface DayVerdict {
  readonly bucket: string;
  readonly key: string;
  readonly dataset: DailyDataset;
  readonly day: string;
  /** The version judged (bare or quoted) and its verdict: readiness records both in its verdict index. */
  readonly etag: string;
  readonly verdict: VerdictKind;
}

/** What readiness says it did, for the handler's log line. */
export interface ReadinessResult {
  readonly summary: string;
}

/**
 * The seam between the validator and readiness: the handler hands every marker and every data-file verdict here, and
 * the scheduled check arrives as `onSchedule`. Throwing fails the SQS record, so it is retried and finally
 * dead-lettered.
 */
export interface Readiness {
  onMarker(marker: Marker): Promise<ReadinessResult>;
  onVerdict(verdict: DayVerdict): Promise<ReadinessResult>;
  onSchedule(bucket: string): Promise<ReadinessResult>;
}
