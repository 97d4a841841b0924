import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { isTooLarge, type ValidationReport } from '../validation';
import { FILE_RULES } from '../validation/contracts';
import { DETAIL_TYPES, EVENT_SOURCE } from '../wire/events';
import { type ObjectVersion } from './object-version';

/** Findings an event or alert lists; the report holds them all. */
const LISTED_IN_EVENT = 10;
const LISTED_IN_ALERT = 5;

export interface S3Location {
  readonly bucket: string;
  readonly key: string;
}

/** The `detail` of both events: enough to act on, small enough for EventBridge's 256 KB limit. */
export interface VerdictDetail {
  readonly bucket: string;
  readonly key: string;
  readonly etag: string;
  readonly versionId?: string;
  readonly dataset: string;
  readonly day?: string;
  readonly valid: boolean;
  /** Too large to finish in one invocation (spec §6): neither valid nor quarantined. */
  readonly tooLarge: boolean;
  readonly rows: number;
  readonly rowGroups: number;
  readonly bytes: number;
  readonly errorCount: number;
  readonly warningCount: number;
  readonly counts: ValidationReport['counts'];
  readonly topErrors: readonly { rule: string; column?: string; row?: number; message: string }[];
  readonly report: S3Location;
  readonly quarantine?: S3Location;
}

export function verdictDetail(
  version: ObjectVersion,
  report: ValidationReport,
  reportAt: S3Location,
  quarantine?: S3Location,
): VerdictDetail {
  return {
    bucket: version.bucket,
    key: version.key,
    etag: version.etag,
    versionId: version.versionId,
    dataset: report.dataset,
    day: report.day,
    valid: report.valid,
    tooLarge: isTooLarge(report),
    rows: report.rows,
    rowGroups: report.rowGroups,
    bytes: report.bytes,
    errorCount: report.errorCount,
    warningCount: report.warningCount,
    counts: report.counts,
    topErrors: report.errors
      .slice(0, LISTED_IN_EVENT)
      .map(({ rule, column, row, message }) => ({ rule, column, row, message })),
    report: reportAt,
    quarantine,
  };
}

/**
 * Publishes outcomes: every one to EventBridge, and those people must act on (rejections, held readiness, Statsig API
 * failures) also to the SNS topic they subscribe to.
 */
export class Announcer {
  constructor(
    private readonly eventBridge: EventBridgeClient,
    private readonly sns: SNSClient,
    private readonly eventBusName: string,
    private readonly alertsTopicArn: string,
  ) {}

  async announce(detail: VerdictDetail): Promise<void> {
    if (detail.tooLarge) {
      await this.event(DETAIL_TYPES.tooLarge, detail, detail.key);
      await this.alert(`Statsig S3: too large to validate ${detail.key}`, tooLargeMessage(detail));
      return;
    }
    await this.event(detail.valid ? DETAIL_TYPES.validated : DETAIL_TYPES.rejected, detail, detail.key);
    if (!detail.valid) await this.alert(`Statsig S3: rejected ${detail.key}`, alertMessage(detail));
  }

  /** `about` names the subject in the error thrown when EventBridge refuses the entry. */
  async event(detailType: string, detail: object, about: string): Promise<void> {
    const result = await this.eventBridge.send(
      new PutEventsCommand({
        Entries: [
          {
            Source: EVENT_SOURCE,
            DetailType: detailType,
            EventBusName: this.eventBusName,
            Detail: JSON.stringify(detail),
            Resources: [],
          },
        ],
      }),
    );
    // PutEvents answers 200 even when an entry was refused; such an entry must fail the record, not vanish.
    if (result.FailedEntryCount) {
      const entry = result.Entries?.find((item) => item.ErrorCode);
      throw new Error(
        `EventBridge refused the ${detailType} event for ${about}: ${entry?.ErrorCode} ${entry?.ErrorMessage}`,
      );
    }
  }

  async alert(subject: string, message: string): Promise<void> {
    await this.sns.send(
      new PublishCommand({ TopicArn: this.alertsTopicArn, Subject: alertSubject(subject), Message: message }),
    );
  }
}

/** SNS subjects are ASCII, one line, under 100 characters. */
function alertSubject(text: string): string {
  const subject = text.replace(/[^\x20-\x7e]/g, '?');
  return subject.length < 100 ? subject : `${subject.slice(0, 96)}...`;
}

function tooLargeMessage(detail: VerdictDetail): string {
  const where = detail.day ? `${detail.dataset}, day ${detail.day}` : detail.dataset;
  return [
    `s3://${detail.bucket}/${detail.key} (${where}; ETag ${detail.etag}, ${detail.bytes} bytes) is too large for the validator: it cannot be checked in one invocation's time, or a row group of it in a decoder's memory.`,
    `It is not corrupt and was not quarantined: it stays where it is, and its day is not published while it is there.`,
    ``,
    ...detail.topErrors.slice(0, 1).map((finding) => finding.message),
    ``,
    `To fix: ${FILE_RULES.tooLarge.hint}, to the same day folder; delete this file, then upload the day's _SUCCESS marker again.`,
    `Full report: s3://${detail.report.bucket}/${detail.report.key}`,
  ].join('\n');
}

function alertMessage(detail: VerdictDetail): string {
  const where = detail.day ? `${detail.dataset}, day ${detail.day}` : detail.dataset;
  const rules = detail.counts
    .filter((count) => count.severity === 'error')
    .map((count) => `  ${count.rule}: ${count.count}`);
  const first = detail.topErrors.slice(0, LISTED_IN_ALERT).map((finding) => `  - ${finding.message}`);
  return [
    `Rejected s3://${detail.bucket}/${detail.key} (${where}; ETag ${detail.etag}${detail.versionId ? `, version ${detail.versionId}` : ''}).`,
    ...(detail.quarantine
      ? [`It was moved to s3://${detail.quarantine.bucket}/${detail.quarantine.key}, where Statsig does not read.`]
      : []),
    ``,
    `${detail.errorCount} error(s), ${detail.warningCount} warning(s), by rule:`,
    ...rules,
    ``,
    `First errors:`,
    ...first,
    ``,
    `Full report: s3://${detail.report.bucket}/${detail.report.key}`,
    `To fix: correct the file and upload it again to ${detail.key}; it will be validated again.`,
    // A quarantine after the marker blocks the day until the marker is written again (spec §7).
    ...(detail.day
      ? [
          `If ${detail.dataset}/${detail.day}/_SUCCESS was already written, upload _SUCCESS again after the fixed file: the day is not published to Statsig until it is re-armed.`,
        ]
      : []),
  ].join('\n');
}
