import type { StoredReport } from '../bucket/report-store';
import { FILE_RULES } from '../validation/contracts';

/** A verdict a file can get; the report store and the verdict index name it the same way. */
export type VerdictKind = StoredReport['verdict'];

/**
 * What each verdict does to its day, in one place: `undefined` lets the day complete; a reason blocks it, and the
 * reason's entry below says what a person does about it. A new outcome is one line here and one in WAIT_REASONS;
 * the compiler asks for both.
 */
export const VERDICT_BLOCKS: Readonly<Record<VerdictKind, BlockingReason | undefined>> = {
  valid: undefined,
  invalid: 'rejected',
  'too-large': 'too-large',
};

/** The reasons a verdict can block with: every wait reason but those about the day rather than one file's verdict. */
type BlockingReason = Exclude<WaitReason, 'no-marker' | 'pending' | 'quarantined-after-marker' | 'held'>;

/** Why a day that has data is not published, with the words an alert uses and the step that releases it. */
export const WAIT_REASONS = {
  'no-marker': {
    says: 'no _SUCCESS marker yet',
    remedy: 'upload _SUCCESS into the day folder once every file of the day is uploaded',
  },
  pending: {
    says: 'a file has no verdict yet',
    remedy:
      'nothing, if files are still being validated; if it stays so, look for the file in the dead-letter queue and deliver it again',
  },
  rejected: {
    says: 'a file was rejected',
    remedy: 'read its report under _reports/, fix the file and upload it again, then upload _SUCCESS again',
  },
  'quarantined-after-marker': {
    says: 'a file was quarantined after _SUCCESS',
    remedy:
      'read its report under _reports/, fix the file and upload it again into the day folder, then upload _SUCCESS again to re-arm the day',
  },
  'too-large': {
    says: 'a file is too large to judge in one invocation',
    remedy: `${FILE_RULES.tooLarge.hint}, and delete it from the day folder: the day completes once the parts are valid`,
  },
  held: {
    says: 'held behind an earlier day',
    remedy: 'release the earlier day named here; the held days then publish in order',
  },
} as const satisfies Record<string, { readonly says: string; readonly remedy: string }>;

export type WaitReason = keyof typeof WAIT_REASONS;
