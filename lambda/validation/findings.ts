import type { RuleSpec, Severity } from './contracts';
import type { SeverityOverrides } from '../wire/severity-overrides';
import type { Finding, RuleCount } from './report';

/** A finding before it is tied to a file (no message yet): what the decoders hand back. */
export type RawFinding = Omit<Finding, 'message'>;

/** Where and what, for a finding of a catalogued rule; `hint` only when the finding knows a more specific fix. */
export type FindingDetails = Omit<RawFinding, 'rule' | 'severity' | 'hint'> & { readonly hint?: string };

/** A finding of a catalogued rule: its id, severity and fix come from the catalogue. */
export function findingOf(rule: RuleSpec, { hint, ...details }: FindingDetails): RawFinding {
  return { rule: rule.id, severity: rule.severity, ...details, hint: hint ?? rule.hint };
}

export interface FindingBatch {
  readonly counts: Record<string, { severity: Severity; count: number }>;
  /** At most `maxListed` per rule: enough for the file's first `maxListed` in row order. */
  readonly listed: RawFinding[];
}

/** Counts every finding and keeps the first few of each rule, so a file with a million bad rows stays small. */
export class FindingSink {
  private readonly counts: Record<string, { severity: Severity; count: number }> = {};
  private readonly listed: RawFinding[] = [];

  constructor(private readonly maxListed: number) {}

  add(finding: RawFinding): void {
    const count = (this.counts[finding.rule] ??= { severity: finding.severity, count: 0 });
    count.count += 1;
    if (count.count <= this.maxListed) this.listed.push(finding);
  }

  batch(): FindingBatch {
    return { counts: this.counts, listed: this.listed };
  }
}

const byRow = (a: RawFinding, b: RawFinding) => (a.row ?? -1) - (b.row ?? -1);

/**
 * Merges the batches of a file's row groups into the report's counts and first-N lists. Severity overrides are applied
 * here, in the validating process, once per finding whichever part of the file it came from.
 */
export class FindingCollector {
  private readonly counts = new Map<string, { severity: Severity; defaultSeverity?: Severity; count: number }>();
  private readonly listed: Record<Severity, RawFinding[]> = { error: [], warning: [] };

  constructor(
    private readonly file: string,
    private readonly maxListed: number,
    private readonly overrides: SeverityOverrides = {},
  ) {}

  private overridden<T extends { readonly severity: Severity }>(
    rule: string,
    finding: T,
  ): T & { defaultSeverity?: Severity } {
    const severity = this.overrides[rule];
    return severity === undefined || severity === finding.severity
      ? finding
      : { ...finding, severity, defaultSeverity: finding.severity };
  }

  add(finding: RawFinding): void {
    this.merge({ counts: { [finding.rule]: { severity: finding.severity, count: 1 } }, listed: [finding] });
  }

  merge(batch: FindingBatch): void {
    for (const [rule, counted] of Object.entries(batch.counts)) {
      const total = this.counts.get(rule) ?? { ...this.overridden(rule, { severity: counted.severity }), count: 0 };
      total.count += counted.count;
      this.counts.set(rule, total);
    }
    for (const raw of batch.listed) {
      const finding = this.overridden(raw.rule, raw);
      this.listed[finding.severity].push(finding);
    }
    for (const severity of ['error', 'warning'] as const) {
      if (this.listed[severity].length > 4 * this.maxListed) this.listed[severity] = this.first(severity);
    }
  }

  get errorCount(): number {
    return this.total('error');
  }

  get warningCount(): number {
    return this.total('warning');
  }

  ruleCounts(): RuleCount[] {
    return [...this.counts]
      .map(([rule, { severity, defaultSeverity, count }]) => ({
        rule,
        severity,
        ...(defaultSeverity ? { defaultSeverity } : {}),
        count,
      }))
      .sort((a, b) => a.rule.localeCompare(b.rule));
  }

  findings(severity: Severity): Finding[] {
    return this.first(severity).map((finding) => ({ ...finding, message: formatFinding(this.file, finding) }));
  }

  private first(severity: Severity): RawFinding[] {
    return [...this.listed[severity]].sort(byRow).slice(0, this.maxListed);
  }

  private total(severity: Severity): number {
    let sum = 0;
    for (const count of this.counts.values()) if (count.severity === severity) sum += count.count;
    return sum;
  }
}

/** `file: row index 41, column 'user', value '…': problem. Fix: hint. [rule]` */
function formatFinding(file: string, finding: RawFinding): string {
  return `${file}: ${describeFinding(finding)}`;
}

/** A finding without its file, for a listing that names the file once: `row index 41, column 'user', …`. */
export function describeFinding(finding: Omit<RawFinding, 'severity'>): string {
  const where = [
    finding.row !== undefined ? `row index ${finding.row}` : undefined,
    finding.column !== undefined ? `column '${finding.column}'` : undefined,
    finding.value !== undefined ? `value ${JSON.stringify(finding.value)}` : undefined,
  ].filter(Boolean);
  const overridden = finding.defaultSeverity
    ? ` (${finding.defaultSeverity === 'error' ? 'an error' : 'a warning'} by default, overridden)`
    : '';
  return `${where.length ? `${where.join(', ')}: ` : ''}${finding.problem}. Fix: ${finding.hint}. [${finding.rule}]${overridden}`;
}
