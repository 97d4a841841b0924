import type { ReadinessConfig } from '../wire/config';
import type { DailyDataset } from '../wire/datasets';

/** What a publish target covers: its name and the datasets that must all be complete for a day. */
export interface PublishScope {
  /** `signals`, or the dataset (`events`, `metrics`) whose `mark_data_ready` type it calls. */
  readonly name: string;
  /** The datasets that must all be complete for a day to publish. */
  readonly datasets: readonly DailyDataset[];
}

/** Signals mode: one target waiting for every dataset; api mode: one per dataset, each with its own type. */
export function publishScopes(config: {
  readonly datasets: readonly DailyDataset[];
  readonly readiness: Pick<ReadinessConfig, 'mode'>;
}): PublishScope[] {
  return config.readiness.mode === 'signals'
    ? [{ name: 'signals', datasets: config.datasets }]
    : config.datasets.map((dataset) => ({ name: dataset, datasets: [dataset] }));
}

/** Where a complete day is published: the signals file, or Statsig's API for one dataset. */
export interface PublishTarget extends PublishScope {
  /**
   * Whether publishing a day also publishes every day before it (`mark_data_ready`'s timestamp is cumulative): a
   * catch-up of several days is then one call for the latest (spec §7), never a burst.
   */
  readonly cumulative: boolean;
  publish(bucket: string, day: string): Promise<PublishOutcome>;
}

/**
 * A failure a person must look at (Statsig refused the call, or kept failing after retries): the day stays
 * unpublished and is tried again by the next evaluation. S3 failures are thrown instead, so that SQS retries.
 */
export type PublishOutcome =
  | { readonly ok: true; readonly detail: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly status?: number; readonly message: string };
