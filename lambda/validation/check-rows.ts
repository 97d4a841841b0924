import { ByteSourceError, type GuardedByteSource } from './byte-source';
import { CONTRACTS } from './contracts';
import { FILE_RULES } from './contracts';
import { DecodeFailure, type Decoder, type TimeLeft } from './decoder';
import { fileProblem, undecodable } from './file-problem';
import type { FindingCollector } from './findings';
import type { Footer } from './footer';
import type { GroupCheckPlan } from './group-check';
import { fetchSpans, planSpans, type Unit, unitsOf } from './read-plan';
import { bindRowRule } from './row-rules';
import { runInOrder } from './schedule';
import type { FileLayout, GroupResult } from './worker/protocol';

/** What decoding one unit needs besides the unit. */
interface UnitContext {
  readonly bytes: GuardedByteSource;
  readonly footer: Footer;
  readonly layout: FileLayout;
  readonly plan: GroupCheckPlan;
  readonly wanted: ReadonlySet<string>;
  readonly decoder: Decoder;
  readonly fileKey: string;
  readonly timeLeft?: TimeLeft;
}

/**
 * Fetches and checks the row groups (or slices), two per decoder at a time so that a decoder never waits while
 * this process fetches or folds, and folds the results in file order for the file-wide rules (duplicates).
 */
export async function checkRowGroups(
  bytes: GuardedByteSource,
  footer: Footer,
  layout: FileLayout,
  plan: GroupCheckPlan,
  findings: FindingCollector,
  decoding: { readonly decoder: Decoder; readonly fileKey: string; readonly timeLeft?: TimeLeft },
): Promise<void> {
  const { decoder } = decoding;
  const rules = CONTRACTS[plan.dataset].rowRules;
  const folds = plan.rowRules.map((index) =>
    bindRowRule(rules[index]).file((finding) => findings.add(finding), layout.rows, plan.options),
  );
  const wanted = new Set(plan.columns.map((column) => column.name));
  const context: UnitContext = { bytes, footer, layout, plan, wanted, ...decoding };
  await runInOrder(
    unitsOf(layout, wanted),
    decoder.size * 2,
    (unit) => decodeUnit(context, unit),
    (unit, result) => {
      findings.merge(result.batch);
      result.partials.forEach((partial, position) => folds[position]?.add(partial, unit.rowStart));
    },
  );
  folds.forEach((fold) => fold?.finish());
}

/** The file is well formed as far as it was read, but the time ran out before `unit`: too large, not corrupt. */
function tooLarge(unit: Unit, rows: number) {
  return fileProblem(
    FILE_RULES.tooLarge,
    `the validator's time ran out at row ${unit.rowStart} of ${rows} (row group ${unit.group}): the file is too large to check in one invocation`,
  );
}

/** A unit a decoder cannot hold: the row group is too large for the budget, which says nothing of its bytes. */
function tooLargeForMemory(unit: Unit, failure: DecodeFailure) {
  return fileProblem(
    FILE_RULES.tooLarge,
    `row group ${unit.group} (rows ${unit.rowStart} to ${unit.rowEnd - 1}) needs more memory than a decoder has in the validator's memory budget (${failure.message}): the file's row groups are too large to check`,
  );
}

async function decodeUnit(context: UnitContext, unit: Unit): Promise<GroupResult> {
  const { bytes, footer, layout, plan, wanted, decoder } = context;
  const left = context.timeLeft?.() ?? Infinity;
  if (left <= 0) throw tooLarge(unit, layout.rows);
  const timeoutMs = Math.min(plan.options.decodeTimeoutMs, left);
  const spans = unit.sliced
    ? []
    : await fetchSpans(bytes, footer, planSpans(layout.rowGroups[unit.group], wanted, footer.footerStart, unit.group));
  // A read that fails while the decoder waits on it is the byte source's failure, not a verdict on the file.
  let sourceFailure: ByteSourceError | undefined;
  const fetch = (start: number, end: number) =>
    fetchSpans(bytes, footer, [{ start, end }])
      .then(([span]) => span.bytes)
      .catch((error: Error) => {
        if (error instanceof ByteSourceError) sourceFailure = error;
        throw error;
      });
  try {
    return await decoder.run(
      {
        type: 'group',
        fileKey: context.fileKey,
        tailStart: footer.tailStart,
        fileSize: bytes.byteLength,
        groupIndex: unit.group,
        rowStart: unit.rowStart,
        rowEnd: unit.rowEnd,
        spans,
        useOffsetIndex: unit.sliced,
        plan,
        maxListed: plan.options.maxListed,
        maxPageBytes: decoder.maxPageBytes,
      },
      timeoutMs,
      fetch,
    );
  } catch (error) {
    if (sourceFailure) throw sourceFailure;
    if (!(error instanceof DecodeFailure)) throw error;
    // Stopped by the caller's time rather than the decode deadline: the unit may be fine, there was no time for it.
    if (error.kind === 'deadline' && timeoutMs < plan.options.decodeTimeoutMs) throw tooLarge(unit, layout.rows);
    if (error.kind === 'memory') throw tooLargeForMemory(unit, error);
    const where = `row group ${unit.group} (rows ${unit.rowStart} to ${unit.rowEnd - 1})`;
    throw undecodable(where, error, plan.options.decodeTimeoutMs);
  }
}
