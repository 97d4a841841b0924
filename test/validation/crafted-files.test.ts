import { CRAFTED_CASES } from '../support/crafted-files';
import { fixtureChecks } from './support';

/**
 * Issue 12's crafted hostile files (test/support/crafted-files.ts): each gets its verdict, and a report whose numbers
 * are possible. Their time and memory against the targets are measured by `npm run fuzz` (bench/results.md).
 */
const { validateBytes } = fixtureChecks();

it.each(CRAFTED_CASES.map((crafted) => [crafted.name, crafted] as const))('%s', async (_, crafted) => {
  const bytes = crafted.bytes();
  const report = await validateBytes(crafted.dataset, bytes);
  expect(report.bytes).toBe(bytes.length);
  expect(Number.isSafeInteger(report.rows) && report.rows >= 0).toBe(true);
  expect(Number.isSafeInteger(report.rowGroups) && report.rowGroups >= 0).toBe(true);
  if (crafted.expected.valid) {
    expect([report.valid, report.errors]).toEqual([true, []]);
    expect(report.rows).toBe(crafted.expected.rows);
  } else {
    expect(report.valid).toBe(false);
    expect(report.errors.map((finding) => finding.rule)).toEqual(['parquet.corrupt']);
    expect(report.errors[0].message).toMatch(crafted.expected.says);
  }
});
