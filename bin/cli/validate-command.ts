import type { Writable } from 'node:stream';
import {
  DEFAULT_ID_TYPES,
  type Decoder,
  misplacedReport,
  validateParquet,
  type ValidationReport,
} from '../../lambda/validation';
import type { ValidateArgs } from './args';
import { UsageError } from './args';
import { openFileByteSource } from './file-byte-source';
import { formatIgnored, formatReport, formatSummary } from './format';
import { expandPaths } from './targets';

/** Files this large get a progress line even when they are the only one. */
const LARGE_FILE_BYTES = 64 * 1024 * 1024;

export interface Output {
  readonly stdout: Writable;
  readonly stderr: Writable;
}

/**
 * Validates every file named; resolves to the exit code (0 all valid, 1 any invalid). What the Lambda would not judge
 * is told and leaves the exit code alone.
 */
export async function runValidate(args: ValidateArgs, output: Output, decoder: Decoder): Promise<number> {
  const { targets, ignored, emptyFolders } = await expandPaths(args.paths);
  // --json keeps stdout one JSON document.
  const notes = args.json ? output.stderr : output.stdout;
  for (const entry of ignored) notes.write(`${formatIgnored(entry)}\n`);
  for (const folder of emptyFolders) notes.write(`nothing to judge under ${folder}\n`);
  // The construct's idTypes add to Statsig's two, and so does the flag.
  const idTypes = [...new Set([...DEFAULT_ID_TYPES, ...(args.idTypes ?? [])])];
  const unknown = targets.filter((target) => !(args.dataset ?? target.dataset));
  if (unknown.length) {
    throw new UsageError(
      `cannot tell the dataset of ${unknown.map((target) => target.path).join(', ')}: put it under events/YYYY-MM-DD/, metrics/YYYY-MM-DD/ or signals/, or pass --dataset`,
    );
  }

  const reports: ValidationReport[] = [];
  for (const [index, target] of targets.entries()) {
    const source = await openFileByteSource(target.path);
    try {
      if (targets.length > 1 || source.byteLength >= LARGE_FILE_BYTES) {
        output.stderr.write(
          `[${index + 1}/${targets.length}] ${target.path} (${(source.byteLength / 1e6).toFixed(1)} MB)\n`,
        );
      }
      const report =
        target.misplaced && !args.dataset
          ? misplacedReport(target.path, target.misplaced, source.byteLength)
          : await validateParquet(
              source,
              {
                file: target.path,
                dataset: (args.dataset ?? target.dataset)!,
                day: target.day,
                idTypes,
                timestampUnit: args.timestampUnit,
                timestampUnitSetting: '--timestamp-unit',
                severityOverrides: args.severityOverrides,
                schemaOnly: args.schemaOnly,
              },
              decoder,
            );
      reports.push(report);
      if (!args.json) output.stdout.write(`${formatReport(report)}\n`);
    } finally {
      await source.close();
    }
  }
  output.stdout.write(args.json ? `${JSON.stringify(reports, null, 2)}\n` : `${formatSummary(reports)}\n`);
  return reports.every((report) => report.valid) ? 0 : 1;
}
