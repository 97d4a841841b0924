import type { DailyDataset } from '../validation/dataset';

/** A `_SUCCESS` marker written in a day folder: the producer says the day's files are all there. */
export interface Marker {
  readonly bucket: string;
  readonly key: string;
  readonly dataset: DailyDataset;
  readonly day: string;
  readonly eTag?: string;
  readonly versionId?: string;
}

/** What readiness says it did with a marker, for the handler's log line. */
export interface MarkerResult {
  readonly summary: string;
}

/**
 * The seam between the validator and readiness (issue 5): the handler routes every marker here and acknowledges it
 * with the returned summary. Throwing fails the SQS record, so it is retried and finally dead-lettered.
 */
export interface Readiness {
  onMarker(marker: Marker): Promise<MarkerResult>;
}

/** Until readiness exists the marker is only acknowledged: no day is checked and nothing is published. */
export const readinessNotBuilt: Readiness = {
  onMarker: async (marker) => ({
    summary: `marker for ${marker.dataset} ${marker.day} acknowledged; readiness is handled by the readiness component, which is not built yet, so nothing was checked or published`,
  }),
};
