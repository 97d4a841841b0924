import { ByteSource, ByteSourceError, GuardedByteSource } from './byte-source';
import { CONTRACTS } from './contracts';
import { FindingCollector, RawFinding } from './findings';
import { FileProblem, readFooter, type Footer } from './footer';
import type { GroupCheckPlan } from './group-check';
import type { KeyClass } from './keys';
import { resolveOptions, type ResolvedOptions, type ValidationOptions } from './options';
import type { ValidationReport } from './report';
import { fileRowRule } from './row-rules';
import { checkSchema } from './schema-check';
import { DecodeFailure, DecoderUnavailable, DecodePool, sharedDecodePool } from './worker/decode-pool';
import type { ByteSpan, FileLayout, GroupResult, RowGroupLayout } from './worker/protocol';

/** The codecs hyparquet-compressors decodes, which are also the ones Statsig's Spark reader takes. */
const SUPPORTED_CODECS = new Set(['UNCOMPRESSED', 'SNAPPY', 'GZIP', 'BROTLI', 'ZSTD', 'LZ4', 'LZ4_RAW']);
/** Column chunks closer than this are fetched in one request (hyparquet's planner joins them the same way). */
const SPAN_GAP_BYTES = 8 * 1024;

/**
 * Judges one parquet file against its dataset's contract. Reads through `source` only what the checks need, one row
 * group at a time. Every problem with the file becomes a finding. Two failures are thrown instead, because they
 * are no verdict on the file: the byte source's own error (a network error, a changed object), unchanged, and
 * `DecoderUnavailable` when the decode thread itself cannot run.
 */
export async function validateParquet(source: ByteSource, options: ValidationOptions, pool: DecodePool = sharedDecodePool()): Promise<ValidationReport> {
  const startedMs = performance.now();
  const resolved = resolveOptions(options);
  const bytes = new GuardedByteSource(source);
  const findings = new FindingCollector(resolved.file, resolved.maxListed);
  let layout: FileLayout | undefined;
  try {
    const footer = await readFooter(bytes);
    layout = await openLayout(footer, resolved, pool);
    await judgeFile(bytes, footer, layout, resolved, findings, pool);
  } catch (error) {
    if (error instanceof ByteSourceError) throw error.cause ?? error;
    if (error instanceof DecoderUnavailable) throw error;
    findings.add(error instanceof FileProblem ? error.finding : corrupt(`the file cannot be read: ${(error as Error).message}`));
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

/** The verdict on a file that sits where Statsig must not read it as it is (a Hive folder, no day folder). */
export function misplacedReport(file: string, key: KeyClass & { kind: 'misplaced' }, bytes: number): ValidationReport {
  const resolved = resolveOptions({ file, dataset: key.dataset });
  const findings = new FindingCollector(file, resolved.maxListed);
  findings.add({ rule: key.rule, severity: 'error', problem: key.problem, hint: key.hint });
  return buildReport(resolved, findings, { rows: 0, rowGroups: 0, columns: [], bytes, bytesRead: 0, durationMs: 0 });
}

function corrupt(problem: string): RawFinding {
  return { rule: 'parquet.corrupt', severity: 'error', problem, hint: 're-write the file: it is corrupt' };
}

async function openLayout(footer: Footer, options: ResolvedOptions, pool: DecodePool): Promise<FileLayout> {
  try {
    return await pool.run<FileLayout>({ type: 'open', tail: footer.tail }, options.decodeTimeoutMs);
  } catch (error) {
    if (!(error instanceof DecodeFailure)) throw error;
    throw new FileProblem(
      error.timedOut
        ? { rule: 'parquet.decode-timeout', severity: 'error', problem: `the parquet footer could not be decoded within ${options.decodeTimeoutMs} ms`, hint: 're-write the file: its footer is corrupt' }
        : corrupt(`the parquet footer cannot be decoded (${error.message})`),
    );
  }
}

async function judgeFile(
  bytes: GuardedByteSource,
  footer: Footer,
  layout: FileLayout,
  options: ResolvedOptions,
  findings: FindingCollector,
  pool: DecodePool,
): Promise<void> {
  if (layout.encryptedColumns.length) {
    throw new FileProblem({
      rule: 'parquet.encrypted',
      severity: 'error',
      problem: `the columns ${layout.encryptedColumns.join(', ')} are encrypted with Parquet Modular Encryption, which Statsig cannot read`,
      hint: 'write the file unencrypted; the bucket encrypts it at rest',
    });
  }
  const badCodecs = new Map<string, string[]>();
  for (const chunk of layout.rowGroups.flatMap((group) => group.chunks)) {
    if (SUPPORTED_CODECS.has(chunk.codec)) continue;
    const columns = badCodecs.get(chunk.codec) ?? [];
    if (!columns.includes(chunk.column)) badCodecs.set(chunk.codec, [...columns, chunk.column]);
  }
  for (const [codec, columns] of badCodecs) {
    findings.add({
      rule: 'parquet.unsupported-codec',
      severity: 'error',
      column: columns.join(', '),
      problem: `the file is compressed with ${codec}, which Statsig's reader does not support`,
      hint: 'write the file with snappy or zstd compression',
    });
  }
  if (badCodecs.size) return;

  const schema = checkSchema(options.dataset, layout.columns);
  schema.findings.forEach((finding) => findings.add(finding));
  if (layout.rows === 0) {
    findings.add({ rule: 'file.empty', severity: 'warning', problem: 'the file has no rows', hint: 'check the job that wrote it: an empty file adds nothing' });
  }
  if (options.schemaOnly || schema.readable.length === 0 || layout.rows === 0) return;

  const plan: GroupCheckPlan = { dataset: options.dataset, options, columns: schema.readable, rowRules: schema.rowRules };
  await checkRowGroups(bytes, footer, layout, plan, findings, pool);
}

/**
 * Fetches and checks the row groups, up to one per decode thread at a time, and folds the results in file order
 * so file-wide rules (duplicates) see rows in order.
 */
async function checkRowGroups(
  bytes: GuardedByteSource,
  footer: Footer,
  layout: FileLayout,
  plan: GroupCheckPlan,
  findings: FindingCollector,
  pool: DecodePool,
): Promise<void> {
  const rules = CONTRACTS[plan.dataset].rowRules;
  const emit = (finding: RawFinding) => findings.add(finding);
  const fileRules = plan.rowRules.map((index) => fileRowRule(rules[index], emit, layout.rows));
  const wanted = new Set(plan.columns.map((column) => column.name));
  // A running total: a corrupt footer can claim hundreds of thousands of row groups.
  const groupStarts: number[] = [];
  layout.rowGroups.reduce((start, group) => (groupStarts.push(start), start + group.rows), 0);

  const run = async (index: number): Promise<GroupResult> => {
    const group = layout.rowGroups[index];
    const spans = await fetchSpans(bytes, footer, planSpans(group, wanted, footer.footerStart, index));
    try {
      return await pool.run<GroupResult>(
        {
          type: 'group',
          tail: footer.tail,
          fileSize: bytes.byteLength,
          groupIndex: index,
          rowStart: groupStarts[index],
          rowEnd: groupStarts[index] + group.rows,
          spans,
          plan,
          maxListed: plan.options.maxListed,
        },
        plan.options.decodeTimeoutMs,
      );
    } catch (error) {
      if (!(error instanceof DecodeFailure)) throw error;
      const where = `row group ${index} (rows ${groupStarts[index]} to ${groupStarts[index] + group.rows - 1})`;
      throw new FileProblem(
        error.timedOut
          ? { rule: 'parquet.decode-timeout', severity: 'error', problem: `${where} could not be decoded within ${plan.options.decodeTimeoutMs} ms`, hint: 're-write the file: its pages are corrupt' }
          : corrupt(`${where} cannot be decoded (${error.message})`),
      );
    }
  };

  // Two groups per decoder in flight, so a decoder never waits while this process fetches or folds results.
  const window = pool.size * 2;
  // Only the groups in flight: a folded group's result (its key hashes) must not stay reachable.
  const inFlight = new Map<number, Promise<GroupResult>>();
  const start = (index: number) => {
    const result = run(index);
    // Results are awaited in order; a later group failing first must not count as an unhandled rejection.
    result.catch(() => undefined);
    inFlight.set(index, result);
  };
  for (let index = 0; index < Math.min(window, layout.rowGroups.length); index++) start(index);
  for (let index = 0; index < layout.rowGroups.length; index++) {
    const result = await inFlight.get(index)!;
    inFlight.delete(index);
    if (index + window < layout.rowGroups.length) start(index + window);
    findings.merge(result.batch);
    result.partials.forEach((partial, position) => fileRules[position]?.add(partial, groupStarts[index]));
  }
  fileRules.forEach((rule) => rule?.finish());
}

/** The byte ranges of a row group's wanted column chunks, joined where they nearly touch. */
function planSpans(group: RowGroupLayout, wanted: ReadonlySet<string>, footerStart: number, index: number): { start: number; end: number }[] {
  const ranges = group.chunks
    .filter((chunk) => wanted.has(chunk.column))
    .map((chunk) => {
      if (!(chunk.start >= 4 && chunk.end > chunk.start && chunk.end <= footerStart)) {
        throw new FileProblem(corrupt(`row group ${index}, column '${chunk.column}' points at bytes [${chunk.start}, ${chunk.end}) outside the file's data`));
      }
      return { start: chunk.start, end: chunk.end };
    })
    .sort((a, b) => a.start - b.start);
  const spans: { start: number; end: number }[] = [];
  for (const range of ranges) {
    const last = spans[spans.length - 1];
    if (last && range.start <= last.end + SPAN_GAP_BYTES) last.end = Math.max(last.end, range.end);
    else spans.push({ ...range });
  }
  return spans;
}

/** Fetches the spans, taking what lies in the already-read tail from there: small files are read once. */
async function fetchSpans(bytes: GuardedByteSource, footer: Footer, spans: { start: number; end: number }[]): Promise<ByteSpan[]> {
  const fetchOne = async ({ start, end }: { start: number; end: number }): Promise<ByteSpan> => {
    if (end <= footer.tailStart) return { start, bytes: await bytes.slice(start, end) };
    const inTail = footer.tail.slice(Math.max(start, footer.tailStart) - footer.tailStart, end - footer.tailStart);
    if (start >= footer.tailStart) return { start, bytes: inTail };
    const head = new Uint8Array(await bytes.slice(start, footer.tailStart));
    const joined = new Uint8Array(end - start);
    joined.set(head, 0);
    joined.set(new Uint8Array(inTail), head.length);
    return { start, bytes: joined.buffer };
  };
  return Promise.all(spans.map(fetchOne));
}

function buildReport(
  options: ResolvedOptions,
  findings: FindingCollector,
  facts: Pick<ValidationReport, 'rows' | 'rowGroups' | 'columns' | 'bytes' | 'bytesRead' | 'durationMs'>,
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
