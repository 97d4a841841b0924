import type { StoredVerdict } from '../bucket/report-store';

/** What the verdicts tell of the judged version. */
interface Judged {
  readonly key: string;
  readonly etag: string;
  readonly rows: number;
  readonly bytesRead: number;
  readonly durationMs: number;
  readonly reused: boolean;
}

/**
 * How one object event ended. Every event ends in exactly one of these, or in an error that fails its SQS record
 * (retried, then dead-lettered): nothing is dropped without a trace.
 */
export type Outcome = (
  | ({ readonly kind: 'validated' } & Judged)
  | ({
      readonly kind: 'rejected';
      readonly errorCount: number;
      readonly quarantineKey: string;
      /** What became of the original: `replaced` means a newer upload took its place and stays. */
      readonly original: 'removed' | 'already-gone' | 'replaced';
    } & Judged)
  /** This version was already judged and announced; a rejected original left behind is removed now. */
  /** Too large to finish in one invocation: announced, reported, left in place (not quarantined), its day held. */
  | ({ readonly kind: 'too-large' } & Judged)
  | { readonly kind: 'duplicate'; readonly key: string; readonly etag: string; readonly verdict: StoredVerdict }
  /** The event names a version that is no longer current; the current version has an event of its own. */
  | { readonly kind: 'stale'; readonly key: string; readonly reason: string }
  | { readonly kind: 'skipped'; readonly key: string; readonly reason: string }
  | { readonly kind: 'marker'; readonly key: string; readonly summary: string }
) & {
  /** What readiness made of a data file's verdict. */
  readonly readiness?: string;
};

export function describe(outcome: Outcome): string {
  return outcome.readiness ? `${describeVerdict(outcome)}; ${outcome.readiness}` : describeVerdict(outcome);
}

function describeVerdict(outcome: Outcome): string {
  switch (outcome.kind) {
    case 'validated':
      return `valid: ${outcome.key} (${outcome.rows} rows)${outcome.reused ? ', verdict reused from the same ETag' : ''}`;
    case 'rejected':
      return `rejected: ${outcome.key} (${outcome.errorCount} errors), quarantined as ${outcome.quarantineKey}, original ${outcome.original}`;
    case 'too-large':
      return `too large to validate: ${outcome.key} (${outcome.rows} rows); left in place, its day held until it is split`;
    case 'duplicate':
      return `duplicate delivery acknowledged: ${outcome.key} ETag ${outcome.etag} was already judged ${outcome.verdict}`;
    case 'stale':
      return `stale event acknowledged: ${outcome.key} ${outcome.reason}`;
    case 'skipped':
      return `skipped: ${outcome.key}: ${outcome.reason}`;
    case 'marker':
      return outcome.summary;
  }
}
