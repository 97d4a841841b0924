import { CRAFTED_CASES } from '../support/crafted-files';
import { fixtureChecks } from './support';

/**
 * Issue 12's crafted hostile files (test/support/crafted-files.ts): each gets its verdict, and a report whose numbers
 * are possible (the footer cases at a tenth of their row groups). Their time and memory against the targets are measured by `npm run fuzz` (bench/results.md).
 */
const { validateBytes } = fixtureChecks();
/** A tenth of the row groups of the footer cases: their verdicts in CI's seconds, their full size in the benchmark. */
const SCALE = 0.1;

it.each(CRAFTED_CASES.map((crafted) => [crafted.name, crafted] as const))('%s', async (_, crafted) => {
  const bytes = crafted.bytes(SCALE);
  const report = await validateBytes(crafted.dataset, bytes);
  expect(report.bytes).toBe(bytes.length);
  expect(Number.isSafeInteger(report.rows) && report.rows >= 0).toBe(true);
  expect(Number.isSafeInteger(report.rowGroups) && report.rowGroups >= 0).toBe(true);
  if (crafted.expected.valid) {
    expect([report.valid, report.errors]).toEqual([true, []]);
    expect(report.rows).toBe(crafted.expected.rows(SCALE));
  } else {
    expect(report.valid).toBe(false);
    expect(report.errors.map((finding) => finding.rule)).toEqual(['parquet.corrupt']);
    expect(report.errors[0].message).toMatch(crafted.expected.says);
  }
});
