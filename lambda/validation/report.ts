import { type Dataset } from '../wire/datasets';
import type { Severity } from './contracts';

/** One problem found in a file. `row` is the zero-based row index in the file; absent for file-level problems. */
export interface Finding {
  /** Stable id, e.g. `events.user.id-missing`: alerts, dashboards and tests key on it. */
  readonly rule: string;
  readonly severity: Severity;
  /** The catalogue's severity, present only when an override changed it. */
  readonly defaultSeverity?: Severity;
  readonly column?: string;
  readonly row?: number;
  /** The offending value, truncated. */
  readonly value?: string;
  /** What is wrong, in one sentence. */
  readonly problem: string;
  /** How to fix it. */
  readonly hint: string;
  /** The whole story on one line: file, row, column, problem and fix. */
  readonly message: string;
}

export interface RuleCount {
  readonly rule: string;
  readonly severity: Severity;
  /** The catalogue's severity, present only when an override changed it. */
  readonly defaultSeverity?: Severity;
  readonly count: number;
}

/** The verdict on one file: `valid` means no errors (warnings are allowed). */
export interface ValidationReport {
  readonly file: string;
  readonly dataset: Dataset;
  /** The day folder the file sits in, when it has one. */
  readonly day?: string;
  readonly valid: boolean;
  readonly rows: number;
  readonly rowGroups: number;
  /** File size in bytes. */
  readonly bytes: number;
  /** Bytes read through the byte source to reach the verdict. */
  readonly bytesRead: number;
  readonly columns: readonly string[];
  readonly errorCount: number;
  readonly warningCount: number;
  /** The first errors, in row order (at most `maxListed`). */
  readonly errors: readonly Finding[];
  /** The first warnings, in row order (at most `maxListed`). */
  readonly warnings: readonly Finding[];
  /** Every rule that fired, with how often. */
  readonly counts: readonly RuleCount[];
  readonly durationMs: number;
}
