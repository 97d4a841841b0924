import { closeDuckDb } from '../support/duckdb-parquet';
import { expectClean, expectFinding, fixtureChecks, NOW_MS } from './support';

const { check } = fixtureChecks();

/** Spec §4 and §5: one column, finished_date, a real day that has ended in UTC−8 (never PDT). */
const signal = (select: string, nowMs = NOW_MS) => check('signals', select, { nowMs });
const HOUR = 3_600_000;

afterAll(async () => {
  await closeDuckDb();
});

describe('signals.finished_date', () => {
  it.each([
    ['a DATE', `SELECT DATE '2024-01-08' AS finished_date`],
    ['a YYYY-MM-DD string', `SELECT '2024-01-08' AS finished_date`],
  ])('accepts %s of an ended day', async (_label, select) => {
    expectClean(await signal(select));
  });

  it.each([
    ['2024-02-30', `'2024-02-30'`],
    ['2023-02-29', `'2023-02-29'`],
    ['a date and time', `'2024-01-08T00:00:00'`],
    ['a word', `'yesterday'`],
  ])('rejects the string %s', async (_label, value) => {
    const report = await signal(
      `SELECT * FROM (VALUES ('2024-01-07'), ('2024-01-08'), (${value})) AS t(finished_date)`,
    );
    expectFinding(report, { rule: 'signals.finished_date.invalid', column: 'finished_date', row: 2 });
  });

  it('rejects null', async () => {
    const report = await signal(`SELECT * FROM (VALUES (DATE '2024-01-08'), (NULL::DATE)) AS t(finished_date)`);
    expectFinding(report, { rule: 'value.null', column: 'finished_date', row: 1 });
  });

  it('rejects a TIMESTAMP column as the wrong type', async () => {
    expectFinding(await signal(`SELECT TIMESTAMP '2024-01-08 00:00:00' AS finished_date`), {
      rule: 'schema.wrong-type',
      column: 'finished_date',
    });
  });

  // Day D ends at D+1 08:00Z. In January that is midnight PST; in July Statsig still uses UTC−8, so a PDT
  // (UTC−7) clock would wrongly call the day ended an hour earlier, at 07:00Z.
  it.each([
    ['January', '2024-01-09', Date.UTC(2024, 0, 10, 8)],
    ['July (PDT in California, still UTC−8 for Statsig)', '2024-07-04', Date.UTC(2024, 6, 5, 8)],
    ['the last day of the year', '2024-12-31', Date.UTC(2025, 0, 1, 8)],
  ])('holds a day of %s as not ended until D+1 08:00Z', async (_label, day, endMs) => {
    for (const [select, kind] of [
      [`SELECT DATE '${day}' AS finished_date`, 'DATE'],
      [`SELECT '${day}' AS finished_date`, 'string'],
    ] as const) {
      for (const nowMs of [endMs - 1, endMs - HOUR, endMs - 24 * HOUR]) {
        const report = await signal(select, nowMs);
        expectFinding(report, { rule: 'signals.finished_date.not-ended', column: 'finished_date', row: 0 });
        expect([kind, report.valid]).toEqual([kind, false]);
      }
      expectClean(await signal(select, endMs));
    }
  });

  it('rejects a day in the future', async () => {
    expectFinding(await signal(`SELECT DATE '2024-02-01' AS finished_date`), {
      rule: 'signals.finished_date.not-ended',
      column: 'finished_date',
      row: 0,
    });
  });
});

describe('signals schema', () => {
  it('rejects any other column (an error, unlike events and metrics)', async () => {
    const report = await signal(`SELECT DATE '2024-01-08' AS finished_date, 'metrics' AS dataset`);
    expectFinding(report, { rule: 'schema.unknown-column', column: 'dataset' });
  });

  it('rejects a file without finished_date', async () => {
    const report = await signal(`SELECT DATE '2024-01-08' AS date`);
    expectFinding(report, { rule: 'schema.missing-column', column: 'finished_date' });
  });

  it('rejects a mis-cased finished_date', async () => {
    expectFinding(await signal(`SELECT DATE '2024-01-08' AS Finished_Date`), {
      rule: 'schema.column-case',
      column: 'Finished_Date',
    });
  });
});
