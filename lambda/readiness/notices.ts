import type { Plan, Publication } from './plan';
import type { PublishTarget } from './targets';

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

type Held = Required<Pick<Plan, 'blocker'>> & Pick<Plan, 'held'>;

/** The `detail` of a "Readiness Held" event: the held days, and the day and object that hold them. */
export function heldDetail(bucket: string, target: PublishTarget, plan: Held, lastPublished: string | undefined) {
  return {
    bucket,
    target: target.name,
    datasets: target.datasets,
    heldDays: plan.held,
    lastPublished: lastPublished ?? null,
    blockingDay: plan.blocker.day,
    blockingDataset: plan.blocker.dataset,
    blockingKey: plan.blocker.key,
    reason: plan.blocker.reason,
  };
}

const REMEDY = {
  'no-marker': 'write the _SUCCESS marker once every file of the day is uploaded',
  pending: 'the file is waiting for its verdict; if it stays so, check the dead-letter queue',
  rejected: 'the file was rejected and is being quarantined; fix it, upload it again, then upload _SUCCESS again',
  'quarantined-after-marker':
    'a file was quarantined after _SUCCESS; fix it and upload it again, then upload _SUCCESS again to re-arm the day',
} as const;

export function heldAlert(detail: ReturnType<typeof heldDetail>): { subject: string; message: string } {
  return {
    subject: `Statsig S3: readiness held at ${detail.blockingDay} (${detail.target})`,
    message: [
      `Readiness for ${detail.target} is held: ${detail.heldDays.join(', ')} ${detail.heldDays.length === 1 ? 'is' : 'are'} complete but not published,`,
      `because Statsig assumes every earlier day loaded once a later one is published, and ${detail.blockingDay} is not complete.`,
      ``,
      `Blocking: s3://${detail.bucket}/${detail.blockingKey} (${detail.reason}).`,
      `To release: ${REMEDY[detail.reason]}. The held days then publish in order.`,
      `Last day published: ${detail.lastPublished ?? 'none yet'}.`,
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
