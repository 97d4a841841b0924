import type { DailyDataset } from '../wire/datasets';

/** Where a complete day is published: the signals file, or Statsig's API for one dataset. */
export interface PublishTarget {
  /** `signals`, or the dataset (`events`, `metrics`) whose `mark_data_ready` type it calls. */
  readonly name: string;
  /** The datasets that must all be complete for a day to publish. */
  readonly datasets: readonly DailyDataset[];
  publish(bucket: string, day: string): Promise<PublishOutcome>;
}

/**
 * A failure a person must look at (Statsig refused the call, or kept failing after retries): the day stays
 * unpublished and is tried again by the next evaluation. S3 failures are thrown instead, so that SQS retries.
 */
export type PublishOutcome =
  | { readonly ok: true; readonly detail: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly status?: number; readonly message: string };
