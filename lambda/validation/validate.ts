import { randomUUID } from 'node:crypto';
import { type ByteSource, ByteSourceError, GuardedByteSource } from './byte-source';
import { buildReport } from './build-report';
import { checkRowGroups } from './check-rows';
import { FILE_RULES, REDSHIFT_MANIFEST } from './contracts';
import { DecodeFailure, DecoderUnavailable, type Decoder, type TimeLeft } from './decoder';
import { unreadableParts } from './file-checks';
import { corrupt, FileProblem, undecodable } from './file-problem';
import { FindingCollector, findingOf, type RawFinding } from './findings';
import { readFooter, type Footer } from './footer';
import { resolveOptions, type ResolvedOptions, type ValidationOptions } from './options';
import type { ValidationReport } from './report';
import { checkSchema } from './schema-check';
import type { FileLayout } from './worker/protocol';

/**
 * Judges one parquet file against its dataset's contract, decoding with `decoder`. Reads through `source` only what
 * the checks need, one row group at a time. Every problem with the file becomes a finding. Two failures are thrown
 * instead, because they are no verdict on the file: the byte source's own error (a network error, a changed
 * object), unchanged, and `DecoderUnavailable` when the decoder cannot run. With `timeLeft`, a file that cannot be
 * finished in that time gets the `file.too-large` verdict.
 */
export async function validateParquet(
  source: ByteSource,
  options: ValidationOptions,
  decoder: Decoder,
  timeLeft?: TimeLeft,
): Promise<ValidationReport> {
  const startedMs = performance.now();
  const resolved = resolveOptions(options);
  const bytes = new GuardedByteSource(source);
  const findings = new FindingCollector(resolved.file, resolved.maxListed, resolved.severityOverrides);
  let layout: FileLayout | undefined;
  try {
    const footer = await readFooter(bytes);
    // Unique per validation: the same key twice (a file validated again after an overwrite) must not meet an old footer.
    const fileKey = `${resolved.file}#${randomUUID()}`;
    layout = await openLayout(footer, resolved, decoder, fileKey);
    await judgeFile(bytes, footer, layout, resolved, findings, { decoder, fileKey, timeLeft });
  } catch (error) {
    if (error instanceof ByteSourceError) throw error.cause ?? error;
    if (error instanceof DecoderUnavailable) throw error;
    const problem =
      error instanceof FileProblem ? error : corrupt(`the file cannot be read: ${(error as Error).message}`);
    findings.add(explained(problem.finding, resolved.file));
  }
  return buildReport(resolved, findings, {
    rows: layout?.rows ?? 0,
    rowGroups: layout?.rowGroups.length ?? 0,
    columns: layout?.columns.map((column) => column.name) ?? [],
    bytes: source.byteLength,
    bytesRead: bytes.bytesRead,
    durationMs: performance.now() - startedMs,
  });
}

/** A finding whose cause the file's name tells: Redshift's manifest. */
function explained(finding: RawFinding, file: string): RawFinding {
  const name = file.split(/[\\/]/).pop() ?? file;
  return finding.rule === FILE_RULES.notParquet.id && REDSHIFT_MANIFEST.name.test(name)
    ? { ...finding, hint: REDSHIFT_MANIFEST.hint }
    : finding;
}

async function openLayout(
  footer: Footer,
  options: ResolvedOptions,
  decoder: Decoder,
  fileKey: string,
): Promise<FileLayout> {
  try {
    return await decoder.run(
      { type: 'open', fileKey, tail: footer.tail, footerStart: footer.footerStart },
      options.decodeTimeoutMs,
    );
  } catch (error) {
    if (!(error instanceof DecodeFailure)) throw error;
    throw undecodable('the parquet footer', error, options.decodeTimeoutMs);
  }
}

async function judgeFile(
  bytes: GuardedByteSource,
  footer: Footer,
  layout: FileLayout,
  options: ResolvedOptions,
  findings: FindingCollector,
  decoding: { readonly decoder: Decoder; readonly fileKey: string; readonly timeLeft?: TimeLeft },
): Promise<void> {
  const unreadable = unreadableParts(layout);
  unreadable.forEach((finding) => findings.add(finding));
  if (unreadable.length) return;

  const schema = checkSchema(options.dataset, layout.columns);
  schema.findings.forEach((finding) => findings.add(finding));
  if (layout.rows === 0) findings.add(findingOf(FILE_RULES.emptyTable, { problem: 'the file has no rows' }));
  if (options.schemaOnly || schema.readable.length === 0 || layout.rows === 0) return;

  const plan = { dataset: options.dataset, options, columns: schema.readable, rowRules: schema.rowRules };
  await checkRowGroups(bytes, footer, layout, plan, findings, decoding);
}
