import type { ValidationReport } from '../../lambda/validation';

/** How many findings per file the text output shows; --json lists up to the report's limit. */
const SHOWN_PER_FILE = 5;

export function formatReport(report: ValidationReport): string {
  const facts = `${report.rows} rows, ${report.warningCount} warning${report.warningCount === 1 ? '' : 's'}`;
  const lines = [
    report.valid
      ? `VALID    ${report.file} (${facts})`
      : `INVALID  ${report.file} (${report.errorCount} error${report.errorCount === 1 ? '' : 's'}, ${facts})`,
  ];
  const shown = [...report.errors, ...report.warnings].slice(0, SHOWN_PER_FILE);
  for (const finding of shown)
    lines.push(`  ${finding.severity === 'error' ? 'error  ' : 'warning'} ${finding.message}`);
  const hidden = report.errorCount + report.warningCount - shown.length;
  if (hidden > 0) {
    const byRule = report.counts.map((count) => `${count.rule} ×${count.count}`).join(', ');
    lines.push(
      `  … ${hidden} more (${byRule}); --json lists the first ${report.errors.length + report.warnings.length}`,
    );
  }
  return lines.join('\n');
}

export function formatSummary(reports: readonly ValidationReport[]): string {
  const invalid = reports.filter((report) => !report.valid).length;
  const files = `${reports.length} file${reports.length === 1 ? '' : 's'}`;
  return `${files}: ${reports.length - invalid} valid, ${invalid} invalid`;
}
