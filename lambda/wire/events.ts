/** The EventBridge `source` of every outcome event the validator sends. */
export const EVENT_SOURCE = 'statsig-s3-ingestion';

/** The `detail-type` of each outcome event: rules that route them match on these. */
export const DETAIL_TYPES = {
  validated: 'File Validated',
  rejected: 'File Rejected',
  tooLarge: 'File Too Large',
  dayReady: 'Day Ready',
  readinessHeld: 'Readiness Held',
  /** A day with data still not published after the grace period, once per day and reason (spec §7). */
  readinessWaiting: 'Readiness Waiting',
} as const;
