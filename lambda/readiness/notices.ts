import type { DayWait, TargetDescription } from './describe';
import type { Publication } from './plan';
import type { PublishTarget } from './targets';
import { WAIT_REASONS } from './wait-reasons';

/** The `detail` of a "Day Ready" event: what was published for which day, and the empty days it implies loaded. */
export function dayReadyDetail(
  bucket: string,
  target: PublishTarget,
  publication: Publication,
  published: Readonly<Record<string, unknown>>,
) {
  return {
    bucket,
    day: publication.day,
    target: target.name,
    datasets: target.datasets,
    emptyDaysBefore: publication.emptyDaysBefore,
    ...published,
  };
}

/** The `detail` of a "Readiness Held" event: the held days, and the day and object that hold them. */
export function heldDetail(bucket: string, target: TargetDescription, blocking: DayWait, lastPublished?: string) {
  return {
    bucket,
    target: target.target,
    datasets: target.datasets,
    heldDays: target.held,
    lastPublished: lastPublished ?? null,
    blockingDay: blocking.day,
    blockingDataset: blocking.dataset,
    blockingKey: blocking.key,
    reason: blocking.reason,
  };
}

export function heldAlert(detail: ReturnType<typeof heldDetail>): { subject: string; message: string } {
  return {
    subject: `Statsig S3: readiness held at ${detail.blockingDay} (${detail.target})`,
    message: [
      `Readiness for ${detail.target} is held: ${detail.heldDays.join(', ')} ${detail.heldDays.length === 1 ? 'is' : 'are'} complete but not published,`,
      `because Statsig assumes every earlier day loaded once a later one is published, and ${detail.blockingDay} is not complete.`,
      ``,
      `Blocking: s3://${detail.bucket}/${detail.blockingKey} (${detail.reason}).`,
      `To release: ${WAIT_REASONS[detail.reason].remedy}. The held days then publish in order.`,
      `Last day published: ${detail.lastPublished ?? 'none yet'}.`,
    ].join('\n'),
  };
}

/** The `detail` of a "Readiness Waiting" event: one day, why it waits, the object to look at and what releases it. */
export function waitingDetail(bucket: string, target: TargetDescription, wait: DayWait) {
  return {
    bucket,
    target: target.target,
    day: wait.day,
    dataset: wait.dataset,
    reason: wait.reason,
    key: wait.key,
    remedy: wait.remedy,
    pendingFiles: wait.pendingFiles,
    heldBehind: wait.heldBehind ?? null,
    lastPublished: target.lastPublished ?? null,
  };
}

/**
 * One alert for the stalls an evaluation found new: a paragraph per day, each naming the object to look at and the
 * step that releases the day, so a person can act from the alert alone.
 */
export function waitingAlert(
  bucket: string,
  target: TargetDescription,
  waits: readonly DayWait[],
  graceHours: number,
): { subject: string; message: string } {
  const [first] = waits;
  const more = waits.length > 1 ? ` and ${waits.length - 1} more day${waits.length > 2 ? 's' : ''}` : '';
  return {
    subject: `Statsig S3: ${first.day} not published (${target.target}): ${first.says}${more}`,
    message: [
      `${waits.length === 1 ? 'This day has' : 'These days have'} data, ended (UTC−8) more than ${graceHours} hours ago, and ${waits.length === 1 ? 'is' : 'are'} still not published to Statsig (${target.target}).`,
      ...waits.flatMap((wait) => [
        ``,
        wait.heldBehind
          ? `${wait.day}: complete, but ${wait.says}, ${wait.heldBehind}, that is not.`
          : `${wait.day} ${wait.dataset}: ${wait.says}.`,
        `  Look at: s3://${bucket}/${wait.key}`,
        ...(wait.pendingFiles > 0 ? [`  Files still without a verdict: ${wait.pendingFiles}.`] : []),
        `  To release it: ${wait.remedy}.`,
      ]),
      ``,
      `Last day published: ${target.lastPublished ?? 'none yet'}. This alert is sent once per day and reason.`,
    ].join('\n'),
  };
}

/** Days with data before the start day: reported once, then never looked at again. */
export function outsideLookbackAlert(
  bucket: string,
  startDay: string,
  days: readonly { readonly dataset: string; readonly day: string }[],
): { subject: string; message: string } {
  const distinct = [...new Set(days.map((entry) => entry.day))];
  return {
    subject: `Statsig S3: ${distinct.length} day${distinct.length === 1 ? '' : 's'} before ${startDay} will not be published`,
    message: [
      `Readiness considers days from ${startDay} on: Statsig ingests at most four weeks back.`,
      `s3://${bucket} holds data for ${distinct.length} earlier day${distinct.length === 1 ? '' : 's'} (${distinct[0]} to ${distinct.at(-1)}): they neither block later days nor get published.`,
      `To have them considered, set the construct's readinessStartDay to an earlier day. This is reported once.`,
    ].join('\n'),
  };
}

export function apiFailureAlert(
  target: PublishTarget,
  day: string,
  failure: { status?: number; message: string },
): { subject: string; message: string } {
  return {
    subject: `Statsig S3: mark_data_ready failed for ${target.name} ${day}`,
    message: [
      `Statsig's mark_data_ready call for ${target.name}, day ${day}, failed${failure.status ? ` with HTTP ${failure.status}` : ''}:`,
      `  ${failure.message}`,
      ``,
      failure.status !== undefined && failure.status < 500 && failure.status !== 429
        ? `Statsig refused the call: check the server secret in Secrets Manager and the API base URL.`
        : `Statsig's API kept failing after retries.`,
      `The day stays unpublished and is tried again at the next marker, verdict or scheduled check.`,
    ].join('\n'),
  };
}
