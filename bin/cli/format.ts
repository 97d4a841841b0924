import { describeFinding, type ValidationReport } from '../../lambda/validation';
import type { Ignored } from './targets';

/** How many findings per file the text output shows; --json lists up to the report's limit. */
const SHOWN_PER_FILE = 5;
/** The terminal width the text output is laid out for. */
const COLUMNS = 100;
const INDENT = ' '.repeat(10);

/** Breaks `text` at spaces into lines of at most COLUMNS (a longer word stays whole), continuations indented. */
function wrap(lead: string, text: string): string[] {
  const lines: string[] = [];
  let line = lead;
  for (const word of text.split(' ')) {
    const fresh = line === lead || line === INDENT;
    if (!fresh && line.length + 1 + word.length > COLUMNS) {
      lines.push(line);
      line = `${INDENT}${word}`;
    } else {
      line = fresh ? `${line}${word}` : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines;
}

/** The verdict line naming the file once, then each shown finding without the file, wrapped to 100 columns. */
export function formatReport(report: ValidationReport): string {
  const facts = `${report.rows} rows, ${report.warningCount} warning${report.warningCount === 1 ? '' : 's'}`;
  const lines = [
    report.valid
      ? `VALID    ${report.file} (${facts})`
      : `INVALID  ${report.file} (${report.errorCount} error${report.errorCount === 1 ? '' : 's'}, ${facts})`,
  ];
  const shown = [...report.errors, ...report.warnings].slice(0, SHOWN_PER_FILE);
  for (const finding of shown)
    lines.push(...wrap(`  ${finding.severity === 'error' ? 'error  ' : 'warning'} `, describeFinding(finding)));
  const hidden = report.errorCount + report.warningCount - shown.length;
  if (hidden > 0) {
    const byRule = report.counts.map((count) => `${count.rule} ×${count.count}`).join(', ');
    lines.push(
      ...wrap(
        `  … `,
        `${hidden} more (${byRule}); --json lists the first ${report.errors.length + report.warnings.length}`,
      ),
    );
  }
  return lines.join('\n');
}

export function formatIgnored({ path, reason }: Ignored): string {
  return `IGNORED  ${path}: ${reason}`;
}

export function formatSummary(reports: readonly ValidationReport[]): string {
  const invalid = reports.filter((report) => !report.valid).length;
  const files = `${reports.length} file${reports.length === 1 ? '' : 's'}`;
  return `${files}: ${reports.length - invalid} valid, ${invalid} invalid`;
}
