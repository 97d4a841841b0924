import { type ByteSource, ByteSourceError, GuardedByteSource } from './byte-source';
import { CONTRACTS } from './contracts';
import { FindingCollector, type RawFinding } from './findings';
import { FileProblem, readFooter, type Footer } from './footer';
import type { GroupCheckPlan } from './group-check';
import type { KeyClass } from './keys';
import { resolveOptions, type ResolvedOptions, type ValidationOptions } from './options';
import type { ValidationReport } from './report';
import { fileRowRule } from './row-rules';
import { checkSchema } from './schema-check';
import { DecodeFailure, DecoderUnavailable, type DecodePool, sharedDecodePool } from './worker/decode-pool';
import type { ByteSpan, ChunkLayout, FileLayout, GroupResult, RowGroupLayout } from './worker/protocol';

/** The codecs hyparquet-compressors decodes, which are also the ones Statsig's Spark reader takes. */
const SUPPORTED_CODECS = new Set(['UNCOMPRESSED', 'SNAPPY', 'GZIP', 'BROTLI', 'ZSTD', 'LZ4', 'LZ4_RAW']);
/** Column chunks closer than this are fetched in one request (hyparquet's planner joins them the same way). */
const SPAN_GAP_BYTES = 8 * 1024;
/** Rows per slice of a large row group: about DuckDB's default row group, whose memory the benchmark measures. */
export const SLICE_ROWS = 131_072;
/** A compressed chunk this small is about one page, the most a writer puts in a chunk without an offset index. */
const SMALL_CHUNK_BYTES = 1024 * 1024;

/**
 * Judges one parquet file against its dataset's contract. Reads through `source` only what the checks need, one row
 * group at a time. Every problem with the file becomes a finding. Two failures are thrown instead, because they
 * are no verdict on the file: the byte source's own error (a network error, a changed object), unchanged, and
 * `DecoderUnavailable` when the decoder process itself cannot run.
 */
export async function validateParquet(
  source: ByteSource,
  options: ValidationOptions,
  pool: DecodePool = sharedDecodePool(),
): Promise<ValidationReport> {
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
    findings.add(
      error instanceof FileProblem ? error.finding : corrupt(`the file cannot be read: ${(error as Error).message}`),
    );
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
        ? {
            rule: 'parquet.decode-timeout',
            severity: 'error',
            problem: `the parquet footer could not be decoded within ${options.decodeTimeoutMs} ms`,
            hint: 're-write the file: its footer is corrupt',
          }
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
    findings.add({
      rule: 'file.empty',
      severity: 'warning',
      problem: 'the file has no rows',
      hint: 'check the job that wrote it: an empty file adds nothing',
    });
  }
  if (options.schemaOnly || schema.readable.length === 0 || layout.rows === 0) return;

  const plan: GroupCheckPlan = {
    dataset: options.dataset,
    options,
    columns: schema.readable,
    rowRules: schema.rowRules,
  };
  await checkRowGroups(bytes, footer, layout, plan, findings, pool);
}

/** A piece of work for a decoder: a whole row group, or a slice of a large one. */
interface Unit {
  readonly group: number;
  readonly rowStart: number;
  readonly rowEnd: number;
  /** Read through the chunks' offset indexes, only the pages of these rows; else the whole chunks, fetched ahead. */
  readonly sliced: boolean;
}

/**
 * The row groups as units of work, lazily (a corrupt footer can claim any number of rows). A row group much larger
 * than a slice is read a slice at a time, so that memory follows the slice, when each wanted chunk has an offset
 * index or is small: writers leave the index out of a chunk of one page (a constant or all-null column), and such a
 * chunk is cheap to decode again for every slice. A large chunk without an offset index can only be decoded whole.
 */
function* unitsOf(layout: FileLayout, wanted: ReadonlySet<string>): Generator<Unit> {
  let start = 0;
  for (const [group, { rows, chunks }] of layout.rowGroups.entries()) {
    const sliceable = (chunk: ChunkLayout) => chunk.offsetIndex || chunk.end - chunk.start <= SMALL_CHUNK_BYTES;
    const sliced = rows > 2 * SLICE_ROWS && chunks.filter((chunk) => wanted.has(chunk.column)).every(sliceable);
    for (let from = 0; from < rows; from += sliced ? SLICE_ROWS : rows) {
      yield {
        group,
        rowStart: start + from,
        rowEnd: start + (sliced ? Math.min(rows, from + SLICE_ROWS) : rows),
        sliced,
      };
    }
    start += rows;
  }
}

/**
 * Fetches and checks the row groups (or slices), up to two per decoder at a time, and folds the results in file
 * order so file-wide rules (duplicates) see rows in order.
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

  const run = async (unit: Unit): Promise<GroupResult> => {
    const group = layout.rowGroups[unit.group];
    const spans = unit.sliced
      ? []
      : await fetchSpans(bytes, footer, planSpans(group, wanted, footer.footerStart, unit.group));
    // A read that fails while the decoder waits on it is the byte source's failure, not a verdict on the file.
    let sourceFailure: ByteSourceError | undefined;
    const fetch = (start: number, end: number) =>
      bytes.slice(start, end).catch((error: Error) => {
        if (error instanceof ByteSourceError) sourceFailure = error;
        throw error;
      });
    try {
      return await pool.run<GroupResult>(
        {
          type: 'group',
          tail: footer.tail,
          fileSize: bytes.byteLength,
          groupIndex: unit.group,
          rowStart: unit.rowStart,
          rowEnd: unit.rowEnd,
          spans,
          useOffsetIndex: unit.sliced,
          plan,
          maxListed: plan.options.maxListed,
        },
        plan.options.decodeTimeoutMs,
        fetch,
      );
    } catch (error) {
      if (sourceFailure) throw sourceFailure;
      if (!(error instanceof DecodeFailure)) throw error;
      const where = `row group ${unit.group} (rows ${unit.rowStart} to ${unit.rowEnd - 1})`;
      throw new FileProblem(
        error.timedOut
          ? {
              rule: 'parquet.decode-timeout',
              severity: 'error',
              problem: `${where} could not be decoded within ${plan.options.decodeTimeoutMs} ms`,
              hint: 're-write the file: its pages are corrupt',
            }
          : corrupt(`${where} cannot be decoded (${error.message})`),
      );
    }
  };

  // Two units per decoder in flight, so a decoder never waits while this process fetches or folds results. Only
  // those are kept: a folded unit's result (its key hashes) must not stay reachable.
  const window = pool.size * 2;
  const units = unitsOf(layout, wanted);
  const inFlight: { unit: Unit; result: Promise<GroupResult> }[] = [];
  const startNext = () => {
    const next = units.next();
    if (next.done) return;
    const result = run(next.value);
    // Results are awaited in order; a later unit failing first must not count as an unhandled rejection.
    result.catch(() => undefined);
    inFlight.push({ unit: next.value, result });
  };
  for (let i = 0; i < window; i++) startNext();
  while (inFlight.length) {
    const { unit, result } = inFlight.shift()!;
    const done = await result;
    startNext();
    findings.merge(done.batch);
    done.partials.forEach((partial, position) => fileRules[position]?.add(partial, unit.rowStart));
  }
  fileRules.forEach((rule) => rule?.finish());
}

/** The byte ranges of a row group's wanted column chunks, joined where they nearly touch. */
function planSpans(
  group: RowGroupLayout,
  wanted: ReadonlySet<string>,
  footerStart: number,
  index: number,
): { start: number; end: number }[] {
  const ranges = group.chunks
    .filter((chunk) => wanted.has(chunk.column))
    .map((chunk) => {
      if (!(chunk.start >= 4 && chunk.end > chunk.start && chunk.end <= footerStart)) {
        throw new FileProblem(
          corrupt(
            `row group ${index}, column '${chunk.column}' points at bytes [${chunk.start}, ${chunk.end}) outside the file's data`,
          ),
        );
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
async function fetchSpans(
  bytes: GuardedByteSource,
  footer: Footer,
  spans: { start: number; end: number }[],
): Promise<ByteSpan[]> {
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
