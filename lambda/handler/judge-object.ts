import { type S3Client } from '@aws-sdk/client-s3';
import {
  classifyKey,
  type Decoder,
  isTooLarge,
  type TimeLeft,
  type KeyClass,
  misplacedReport,
  validateParquet,
  type ValidationReport,
} from '../validation';
import { type Announcer, verdictDetail } from '../bucket/announcements';
import { type ValidatorConfig } from '../wire/config';
import { type Readiness } from '../readiness/port';
import { headObject, normalizeEtag, type ObjectVersion } from '../bucket/object-version';
import { type Outcome } from './outcome';
import { copyToQuarantine, removeOriginal } from './quarantine';
import { ReportStore, type StoredReport, type StoredVerdict } from '../bucket/report-store';
import { type RetryObserver, type RetryPolicy } from '../bucket/retry';
import { ObjectChangedError, type RangeReadLimits, S3ByteSource } from '../bucket/s3-byte-source';
import { type ObjectEvent } from './s3-notification';

export interface JudgeContext {
  readonly s3: S3Client;
  readonly config: ValidatorConfig;
  readonly announcer: Announcer;
  readonly readiness: Readiness;
  readonly rangeLimits: RangeReadLimits;
  readonly retry: RetryPolicy;
  readonly onRetry: RetryObserver;
  readonly decoder: Decoder;
  readonly now: () => number;
}

type Judgeable = Extract<KeyClass, { kind: 'data' | 'signals' | 'misplaced' }>;
type Verdict = { readonly report: ValidationReport; readonly reused: boolean };

/**
 * One object event, from routing to announced verdict. The order of the steps is what makes redelivery safe: the
 * report, written after the announcement, is the record that a version was judged; a quarantined original is deleted
 * last, so a retry finds either no report (and redoes everything) or a report and the original (and deletes it).
 */
export async function judgeObjectEvent(ctx: JudgeContext, event: ObjectEvent, timeLeft?: TimeLeft): Promise<Outcome> {
  const { key } = event;
  if (!event.eventName.startsWith('ObjectCreated:'))
    return { kind: 'skipped', key, reason: `${event.eventName} leaves nothing to judge` };
  const place = classifyKey(key);
  if (place.kind === 'ignored') return { kind: 'skipped', key, reason: place.reason };
  if (place.kind === 'marker') {
    const result = await ctx.readiness.onMarker({
      bucket: event.bucket,
      key,
      dataset: place.dataset,
      day: place.day,
      eTag: event.eTag,
      versionId: event.versionId,
    });
    return { kind: 'marker', key, summary: result.summary };
  }

  const version = await headObject(ctx.s3, event.bucket, key);
  if (!version) return { kind: 'stale', key, reason: 'was deleted after the event was sent' };
  const superseded = supersededBy(event, version);
  if (superseded) return { kind: 'stale', key, reason: superseded };

  const reports = new ReportStore(ctx.s3, event.bucket, ctx.config.reportsPrefix);
  const previous = await reports.load(key);
  const sameBytes = previous?.etag === version.etag;
  if (previous && sameBytes && previous.versionId === version.versionId)
    return tellReadiness(ctx, place, version, await finishDuplicate(ctx, version, previous));

  // The same ETag is the same bytes: a re-upload of an identical file reuses the verdict but is announced anew.
  const verdict = sameBytes ? { report: previous.report, reused: true } : await judge(ctx, place, version, timeLeft);
  if (!verdict) return { kind: 'stale', key, reason: 'changed while it was being read' };
  const outcome = await (verdict.report.valid
    ? keepInPlace(ctx, reports, version, verdict, 'validated')
    : isTooLarge(verdict.report)
      ? keepInPlace(ctx, reports, version, verdict, 'too-large')
      : reject(ctx, reports, version, verdict));
  return tellReadiness(ctx, place, version, outcome);
}

/**
 * A verdict landing after the day's marker may be what completes the day (or, rejected, what blocks it), so readiness
 * looks again. A duplicate delivery tells it too: that is how a readiness call that failed after the report was
 * saved gets its retry.
 */
async function tellReadiness(
  ctx: JudgeContext,
  place: Judgeable,
  version: ObjectVersion,
  outcome: Outcome,
): Promise<Outcome> {
  const verdict = verdictOf(outcome);
  if (place.kind !== 'data' || verdict === undefined) return outcome;
  const result = await ctx.readiness.onVerdict({
    bucket: version.bucket,
    key: version.key,
    dataset: place.dataset,
    day: place.day,
    etag: version.etag,
    verdict,
  });
  return { ...outcome, readiness: result.summary } as Outcome;
}

/** The verdict an outcome carries, if it judged (or found judged) the version. */
function verdictOf(outcome: Outcome): StoredVerdict | undefined {
  switch (outcome.kind) {
    case 'validated':
      return 'valid';
    case 'rejected':
      return 'invalid';
    case 'too-large':
      return 'too-large';
    case 'duplicate':
      return outcome.verdict;
    default:
      return undefined;
  }
}

function supersededBy(event: ObjectEvent, version: ObjectVersion): string | undefined {
  if (event.eTag && normalizeEtag(event.eTag) !== version.etag)
    return `was overwritten after the event (event ETag ${event.eTag}, now ${version.etag})`;
  if (event.versionId && version.versionId && event.versionId !== version.versionId)
    return `has a newer version than the event's (${event.versionId}, now ${version.versionId})`;
  return undefined;
}

async function judge(
  ctx: JudgeContext,
  place: Judgeable,
  version: ObjectVersion,
  timeLeft?: TimeLeft,
): Promise<Verdict | undefined> {
  if (place.kind === 'misplaced') return { report: misplacedReport(version.key, place, version.size), reused: false };
  const source = new S3ByteSource(ctx.s3, version, ctx.rangeLimits, ctx.retry, ctx.onRetry);
  const options = {
    file: version.key,
    dataset: place.dataset,
    day: place.kind === 'data' ? place.day : undefined,
    idTypes: [...ctx.config.idTypes],
    timestampUnit: ctx.config.timestampUnit,
    severityOverrides: ctx.config.severityOverrides,
    nowMs: ctx.now(),
  };
  const result = await validateParquet(source, options, ctx.decoder, timeLeft).then(
    (report) => ({ report }),
    (error: unknown) => ({ error }),
  );
  // A failed read is never a verdict, even if the core reported it as a finding about the file.
  const failure = source.failure ?? ('error' in result ? result.error : undefined);
  if (failure instanceof ObjectChangedError) return undefined;
  if (failure !== undefined) throw failure;
  return { report: (result as { report: ValidationReport }).report, reused: false };
}

/**
 * A verdict that leaves the file where it is: valid, or too large to finish in this invocation. A file too large is
 * neither quarantined (its bytes are not known to be bad) nor thrown back to SQS (a retry has no more time than this
 * invocation had, so it would loop into the dead-letter queue); its report's verdict holds its day.
 */
async function keepInPlace(
  ctx: JudgeContext,
  reports: ReportStore,
  version: ObjectVersion,
  verdict: Verdict,
  kind: 'validated' | 'too-large',
): Promise<Outcome> {
  await ctx.announcer.announce(verdictDetail(version, verdict.report, reports.locate(version.key)));
  await reports.save(storedReport(ctx, version, verdict.report));
  return { kind, key: version.key, etag: version.etag, ...measures(verdict) };
}

async function reject(
  ctx: JudgeContext,
  reports: ReportStore,
  version: ObjectVersion,
  verdict: Verdict,
): Promise<Outcome> {
  const copy = await copyToQuarantine(ctx.s3, version, ctx.config.quarantinePrefix);
  if (!copy) return { kind: 'stale', key: version.key, reason: 'changed before it could be quarantined' };
  await ctx.announcer.announce(
    verdictDetail(version, verdict.report, reports.locate(version.key), { bucket: version.bucket, key: copy.key }),
  );
  await reports.save(storedReport(ctx, version, verdict.report, copy));
  const original = await removeOriginal(ctx.s3, version);
  return {
    kind: 'rejected',
    key: version.key,
    etag: version.etag,
    ...measures(verdict),
    errorCount: verdict.report.errorCount,
    quarantineKey: copy.key,
    original,
  };
}

async function finishDuplicate(ctx: JudgeContext, version: ObjectVersion, previous: StoredReport): Promise<Outcome> {
  if (previous.verdict === 'invalid') await removeOriginal(ctx.s3, version);
  return { kind: 'duplicate', key: version.key, etag: version.etag, verdict: previous.verdict };
}

function measures(verdict: Verdict) {
  const { report, reused } = verdict;
  return {
    rows: report.rows,
    bytesRead: reused ? 0 : report.bytesRead,
    durationMs: reused ? 0 : report.durationMs,
    reused,
  };
}

function storedReport(
  ctx: JudgeContext,
  version: ObjectVersion,
  report: ValidationReport,
  quarantine?: StoredReport['quarantine'],
): StoredReport {
  return {
    schemaVersion: 1,
    bucket: version.bucket,
    key: version.key,
    etag: version.etag,
    versionId: version.versionId,
    verdict: report.valid ? 'valid' : isTooLarge(report) ? 'too-large' : 'invalid',
    judgedAt: new Date(ctx.now()).toISOString(),
    quarantine,
    report,
  };
}
