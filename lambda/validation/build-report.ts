import { FILE_RULES } from './contracts';
import { findingOf, FindingCollector } from './findings';
import type { KeyClass } from './keys';
import { resolveOptions, type ResolvedOptions } from './options';
import type { ValidationReport } from './report';

export type ReportFacts = Pick<
  ValidationReport,
  'rows' | 'rowGroups' | 'columns' | 'bytes' | 'bytesRead' | 'durationMs'
>;

export function buildReport(
  options: ResolvedOptions,
  findings: FindingCollector,
  facts: ReportFacts,
): ValidationReport {
  return {
    file: options.file,
    dataset: options.dataset,
    ...(options.day ? { day: options.day } : {}),
    valid: findings.errorCount === 0,
    ...facts,
    durationMs: Math.round(facts.durationMs),
    errorCount: findings.errorCount,
    warningCount: findings.warningCount,
    errors: findings.findings('error'),
    warnings: findings.findings('warning'),
    counts: findings.ruleCounts(),
  };
}

/**
 * Whether the verdict is that the file is too large to finish in the time the caller had (spec §6): not a verdict
 * on its bytes, so it is neither valid nor quarantined, and it holds its day until the file is split.
 */
export function isTooLarge(report: ValidationReport): boolean {
  return report.counts.some((count) => count.rule === FILE_RULES.tooLarge.id);
}

/** The verdict on a file that sits where Statsig must not read it as it is (a Hive folder, no day folder). */
export function misplacedReport(file: string, key: KeyClass & { kind: 'misplaced' }, bytes: number): ValidationReport {
  const resolved = resolveOptions({ file, dataset: key.dataset });
  const findings = new FindingCollector(file, resolved.maxListed);
  findings.add(findingOf(key.rule, { problem: key.problem, hint: key.hint }));
  return buildReport(resolved, findings, { rows: 0, rowGroups: 0, columns: [], bytes, bytesRead: 0, durationMs: 0 });
}
