import type { Writable } from 'node:stream';
import type { RecordedEvent } from '../../test/doubles/aws-stand-in';
import type { Outcome } from './local-pipeline';

interface FileDetail {
  key: string;
  rows: number;
  errorCount: number;
  warningCount: number;
  counts: { rule: string; count: number }[];
  topErrors: { message: string }[];
  report: { key: string };
  quarantine?: { key: string };
}

interface DayReadyDetail {
  day: string;
  signals?: { key: string };
  emptyDaysBefore: string[];
}

interface HeldDetail {
  heldDays: string[];
  blockingDay: string;
  blockingKey: string;
  reason: string;
}

interface WaitingDetail {
  day: string;
  reason: string;
  key: string;
}

/** Tells what the pipeline did, in the words of its events and alerts. */
export class Narration {
  constructor(private readonly out: Writable) {}

  line(text = ''): void {
    this.out.write(`${text}\n`);
  }

  step(text: string): void {
    this.line();
    this.line(`▸ ${text}`);
  }

  outcome(outcome: Outcome): void {
    for (const event of outcome.events) this.event(event);
    for (const alert of outcome.alerts)
      this.line(`    ✉ alert to the SNS topic: ${alert.subject ?? alert.message.split('\n')[0]}`);
    if (outcome.failedRecords)
      this.line(`    ! ${outcome.failedRecords} notification(s) failed and would be retried by SQS`);
  }

  private event(event: RecordedEvent): void {
    switch (event.detailType) {
      case 'File Validated': {
        const detail = event.detail as unknown as FileDetail;
        const warnings = detail.warningCount ? `, ${detail.warningCount} warning(s)` : '';
        this.line(
          `  ✔ valid      ${detail.key}  (${detail.rows.toLocaleString('en-US')} row${detail.rows === 1 ? '' : 's'}${warnings})`,
        );
        return;
      }
      case 'File Rejected': {
        const detail = event.detail as unknown as FileDetail;
        this.line(
          `  ✖ rejected   ${detail.key}  (${detail.errorCount} errors: ${detail.counts.map((count) => `${count.rule} ×${count.count}`).join(', ')})`,
        );
        if (detail.topErrors[0]) this.line(`      first error: ${detail.topErrors[0].message}`);
        if (detail.quarantine) this.line(`      moved to ${detail.quarantine.key}; report at ${detail.report.key}`);
        return;
      }
      case 'Day Ready': {
        const detail = event.detail as unknown as DayReadyDetail;
        const implied = detail.emptyDaysBefore.length
          ? ` (also implies ${detail.emptyDaysBefore.join(', ')}, which had no data)`
          : '';
        this.line(
          `  ★ day ready  ${detail.day}: Statsig may load it${detail.signals ? `, signalled by ${detail.signals.key}` : ''}${implied}`,
        );
        return;
      }
      case 'Readiness Held': {
        const detail = event.detail as unknown as HeldDetail;
        this.line(
          `  ⏸ readiness held: ${detail.heldDays.join(', ')} complete but not published, because ${detail.blockingDay} is not complete`,
        );
        this.line(`      blocking: ${detail.blockingKey} (${detail.reason})`);
        return;
      }
      case 'Readiness Waiting': {
        const detail = event.detail as unknown as WaitingDetail;
        this.line(`  ⌛ waiting past the grace period: ${detail.day} (${detail.reason}), look at ${detail.key}`);
        return;
      }
      default:
        this.line(`  • ${event.detailType}`);
    }
  }
}
