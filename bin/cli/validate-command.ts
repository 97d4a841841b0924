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
import type { S3Client } from '@aws-sdk/client-s3';
import type { RetryObserver } from '../../lambda/bucket/retry';
import { formatIgnored, formatReport, formatSummary } from './format';
import { openSource } from './open-source';
import { withReadProgress } from './read-progress';
import { cliS3Client, toldRetries } from './s3-client';
import { isS3Uri } from './s3-location';
import { expandS3Uri } from './s3-targets';
import { type Expanded, expandPaths } from './targets';

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
  let client: S3Client | undefined;
  const onRetry = toldRetries(output.stderr);
  const s3 = () => (client ??= cliS3Client(args, onRetry));
  try {
    return await validateAll(args, output, decoder, { s3, onRetry });
  } finally {
    client?.destroy();
  }
}

async function expandAll(paths: readonly string[], s3: () => S3Client): Promise<Expanded> {
  const parts = [await expandPaths(paths.filter((path) => !isS3Uri(path)))];
  for (const uri of paths.filter(isS3Uri)) parts.push(await expandS3Uri(s3(), uri));
  return {
    targets: parts.flatMap((part) => part.targets),
    ignored: parts.flatMap((part) => part.ignored),
    emptyFolders: parts.flatMap((part) => part.emptyFolders),
  };
}

interface Bucket {
  readonly s3: () => S3Client;
  readonly onRetry: RetryObserver;
}

async function validateAll(args: ValidateArgs, output: Output, decoder: Decoder, bucket: Bucket) {
  const { targets, ignored, emptyFolders } = await expandAll(args.paths, bucket.s3);
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
    const opened = await openSource(target.path, bucket.s3, bucket.onRetry);
    const large = opened.byteLength >= LARGE_FILE_BYTES;
    const source = large ? withReadProgress(opened, (line) => output.stderr.write(`${line}\n`)) : opened;
    let report: ValidationReport;
    try {
      if (targets.length > 1 || large) {
        output.stderr.write(
          `[${index + 1}/${targets.length}] ${target.path} (${(source.byteLength / 1e6).toFixed(1)} MB)\n`,
        );
      }
      report =
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
    } finally {
      await source.close();
    }
    reports.push(report);
    if (!args.json) output.stdout.write(`${formatReport(report)}\n`);
  }
  output.stdout.write(args.json ? `${JSON.stringify(reports, null, 2)}\n` : `${formatSummary(reports)}\n`);
  return reports.every((report) => report.valid) ? 0 : 1;
}
