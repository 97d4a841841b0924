import { closeDuckDb } from '../support/duckdb-parquet';
import {
  DAY,
  expectClean,
  expectFinding,
  fixtureChecks,
  METRIC,
  type Row,
  rowsWith,
  selectRows,
  without,
} from './support';

const { check } = fixtureChecks();

/** Spec §3. The one bad value sits at row 2 of 4 so the reported row index is checked. */
const BAD_ROW = 2;
type Options = Parameters<typeof check>[2];
const metrics = (bad: Row, options: Options = {}) =>
  check('metrics', selectRows(rowsWith(METRIC, 4, BAD_ROW, bad)), options);
/** Column types are per file and UNION ALL unifies them: a type under test goes into every row. */
const everyRow = (change: Row, options: Options = {}) =>
  check('metrics', selectRows(rowsWith({ ...METRIC, ...change }, 4, -1, {})), options);

afterAll(async () => {
  await closeDuckDb();
});

describe('metrics.unit_id', () => {
  it('accepts any non-empty string', async () => {
    expectClean(await metrics({ unit_id: `'a b/c'` }));
  });

  it('rejects an empty unit_id', async () => {
    expectFinding(await metrics({ unit_id: `''` }), { rule: 'metrics.unit_id.empty', column: 'unit_id', row: BAD_ROW });
  });

  it('rejects a null unit_id', async () => {
    expectFinding(await metrics({ unit_id: `NULL::VARCHAR` }), { rule: 'value.null', column: 'unit_id', row: BAD_ROW });
  });
});

describe('metrics.id_type', () => {
  it.each(['user_id', 'stable_id'])('accepts the default ID type %s', async (idType) => {
    expectClean(await metrics({ id_type: `'${idType}'` }));
  });

  it('rejects an unknown ID type, and the hint names the configured ones', async () => {
    const finding = expectFinding(await metrics({ id_type: `'device'` }), {
      rule: 'metrics.id_type.unknown',
      column: 'id_type',
      row: BAD_ROW,
    });
    expect(finding.hint).toMatch(/user_id/);
  });

  it('rejects a near miss (case-sensitive) with a hint naming what was meant', async () => {
    const finding = expectFinding(await metrics({ id_type: `'User_ID'` }), {
      rule: 'metrics.id_type.unknown',
      column: 'id_type',
      row: BAD_ROW,
    });
    expect(finding.hint).toMatch(/'user_id'/);
  });

  it('accepts custom ID types given in the options, and only those', async () => {
    const idTypes = ['user_id', 'stable_id', 'company_id'];
    expectClean(await metrics({ id_type: `'company_id'` }, { idTypes }));
    const finding = expectFinding(await metrics({ id_type: `'Company_ID'` }, { idTypes }), {
      rule: 'metrics.id_type.unknown',
      column: 'id_type',
      row: BAD_ROW,
    });
    expect(finding.hint).toMatch(/'company_id'/);
    // Without the option, company_id is not a Statsig ID type.
    expectFinding(await metrics({ id_type: `'company_id'` }), {
      rule: 'metrics.id_type.unknown',
      column: 'id_type',
      row: BAD_ROW,
    });
  });

  it('rejects null', async () => {
    expectFinding(await metrics({ id_type: `NULL::VARCHAR` }), { rule: 'value.null', column: 'id_type', row: BAD_ROW });
  });
});

describe('metrics.date', () => {
  it('accepts a DATE equal to the day folder', async () => {
    expectClean(await everyRow({ date: `DATE '${DAY}'` }));
  });

  it('accepts a YYYY-MM-DD string equal to the day folder', async () => {
    expectClean(await everyRow({ date: `'${DAY}'` }));
  });

  it.each([
    ['2023-02-29 (not a leap year)', `'2023-02-29'`],
    ['2024-13-01', `'2024-13-01'`],
    ['a date without zero padding', `'2024-1-9'`],
    ['a timestamp string', `'${DAY} 00:00:00'`],
  ])('rejects the string %s', async (_label, date) => {
    const report = await check('metrics', selectRows(rowsWith({ ...METRIC, date: `'${DAY}'` }, 4, BAD_ROW, { date })));
    expectFinding(report, { rule: 'metrics.date.invalid', column: 'date', row: BAD_ROW });
  });

  it.each([
    ['a DATE', `DATE '2024-01-08'`, `DATE '${DAY}'`],
    ['a string', `'2024-01-10'`, `'${DAY}'`],
  ])('rejects %s of another day than the folder', async (_label, bad, good) => {
    const report = await check('metrics', selectRows(rowsWith({ ...METRIC, date: good }, 4, BAD_ROW, { date: bad })));
    expectFinding(report, { rule: 'metrics.date.folder-mismatch', column: 'date', row: BAD_ROW });
  });

  it('rejects a null date', async () => {
    expectFinding(await metrics({ date: `NULL::DATE` }), { rule: 'value.null', column: 'date', row: BAD_ROW });
  });

  it('rejects a TIMESTAMP date column as the wrong type', async () => {
    expectFinding(await everyRow({ date: `TIMESTAMP '${DAY} 00:00:00'` }), {
      rule: 'schema.wrong-type',
      column: 'date',
    });
  });
});

describe('metrics.metric_name', () => {
  it('accepts 127 characters', async () => {
    expectClean(await metrics({ metric_name: `repeat('m', 127)` }));
  });

  it.each([
    ['empty', `''`],
    ['128 characters', `repeat('m', 128)`],
  ])('rejects %s', async (_label, metric_name) => {
    expectFinding(await metrics({ metric_name }), {
      rule: 'metrics.metric_name.length',
      column: 'metric_name',
      row: BAD_ROW,
    });
  });

  it('rejects null', async () => {
    expectFinding(await metrics({ metric_name: `NULL::VARCHAR` }), {
      rule: 'value.null',
      column: 'metric_name',
      row: BAD_ROW,
    });
  });
});

describe('metrics number columns', () => {
  it.each([
    ['FLOAT', 'metric_value', `1.5::FLOAT`],
    ['INTEGER', 'metric_value', `2::INTEGER`],
    ['BIGINT', 'metric_value', `2::BIGINT`],
    ['DECIMAL', 'metric_value', `1.5::DECIMAL(10, 2)`],
    ['INTEGER', 'numerator', `2::INTEGER`],
    ['DECIMAL', 'denominator', `4::DECIMAL(18, 3)`],
  ])('rejects %s in %s with the hint cast(x as double)', async (_type, column, expression) => {
    const change: Row =
      column === 'metric_value'
        ? { metric_value: expression }
        : { metric_value: `NULL::DOUBLE`, numerator: `1::DOUBLE`, denominator: `4::DOUBLE`, [column]: expression };
    const finding = expectFinding(await everyRow(change), { rule: 'schema.wrong-type', column });
    expect(finding.hint).toContain(`cast(${column} as double)`);
  });

  it.each([
    ['NaN', 'metric_value', `'NaN'::DOUBLE`],
    ['Infinity', 'metric_value', `'Infinity'::DOUBLE`],
    ['-Infinity', 'numerator', `'-Infinity'::DOUBLE`],
    ['NaN', 'denominator', `'NaN'::DOUBLE`],
  ])('rejects %s in %s', async (_label, column, expression) => {
    expectFinding(await metrics({ [column]: expression }), { rule: 'metrics.number.non-finite', column, row: BAD_ROW });
  });

  it.each(['metric_value', 'numerator', 'denominator'])(
    'requires the %s column, hinting cast(null as double)',
    async (column) => {
      const finding = expectFinding(await check('metrics', selectRows([without(METRIC, column)])), {
        rule: 'schema.missing-column',
        column,
      });
      expect(finding.hint).toContain('cast(null as double)');
    },
  );

  it('accepts a ratio row: numerator and denominator with a null metric_value', async () => {
    expectClean(
      await metrics({ metric_value: `NULL::DOUBLE`, numerator: `1::DOUBLE`, denominator: `4::DOUBLE` }),
      'metrics.value.missing',
    );
  });

  it.each([
    ['all three null', { metric_value: `NULL::DOUBLE` }],
    ['only a numerator', { metric_value: `NULL::DOUBLE`, numerator: `1::DOUBLE` }],
    ['only a denominator', { metric_value: `NULL::DOUBLE`, denominator: `4::DOUBLE` }],
  ])('rejects a row with %s', async (_label, bad) => {
    expectFinding(await metrics(bad), { rule: 'metrics.value.missing', row: BAD_ROW });
  });
});

describe('metrics rules across rows', () => {
  it('warns about a metric mixing ratio rows and value-only rows, naming it and the rows Statsig drops', async () => {
    const ratio: Row = {
      metric_name: `'conversion'`,
      metric_value: `NULL::DOUBLE`,
      numerator: `1::DOUBLE`,
      denominator: `2::DOUBLE`,
    };
    const value: Row = { metric_name: `'conversion'`, metric_value: `0.5::DOUBLE` };
    const plain: Row = { metric_name: `'revenue'`, metric_value: `3::DOUBLE` };
    const shapes = [ratio, ratio, plain, value, ratio, value, value, plain];
    const rows = shapes.map((shape, index) => ({ ...METRIC, unit_id: `'u${index}'`, ...shape }));
    const report = await check('metrics', selectRows(rows));
    const finding = expectFinding(report, { rule: 'metrics.ratio.mixed', row: 3, severity: 'warning' });
    expect(finding.message).toContain('conversion');
    expect(finding.message).toMatch(/\b3 rows\b/);
    expect(report.valid).toBe(true);
    // Only the mixing metric is named: revenue is value-only throughout.
    expect(report.counts).toContainEqual({ rule: 'metrics.ratio.mixed', severity: 'warning', count: 1 });
  });

  it('does not warn when each metric keeps one shape', async () => {
    const rows = [
      {
        ...METRIC,
        metric_name: `'conversion'`,
        metric_value: `NULL::DOUBLE`,
        numerator: `1::DOUBLE`,
        denominator: `2::DOUBLE`,
      },
      {
        ...METRIC,
        unit_id: `'u2'`,
        metric_name: `'conversion'`,
        metric_value: `NULL::DOUBLE`,
        numerator: `0::DOUBLE`,
        denominator: `2::DOUBLE`,
      },
      { ...METRIC, unit_id: `'u3'` },
    ];
    expectClean(await check('metrics', selectRows(rows)), 'metrics.ratio.mixed');
  });

  it('warns about a duplicate (unit_id, id_type, date, metric_name) at the repeating row, and the file stays valid', async () => {
    const rows = rowsWith(METRIC, 5, 3, { unit_id: `'u1'`, metric_value: `9::DOUBLE` });
    const report = await check('metrics', selectRows(rows));
    expectFinding(report, { rule: 'metrics.duplicate-key', row: 3, severity: 'warning' });
    expect(report.valid).toBe(true);
    expect(report.counts).toContainEqual({ rule: 'metrics.duplicate-key', severity: 'warning', count: 1 });
  });

  it('does not call rows duplicates when only id_type or metric_name differs', async () => {
    const rows = [METRIC, { ...METRIC, id_type: `'stable_id'` }, { ...METRIC, metric_name: `'orders'` }];
    expectClean(await check('metrics', selectRows(rows)), 'metrics.duplicate-key');
  });
});

describe('metrics schema', () => {
  it('rejects a mis-cased column name', async () => {
    const { unit_id, ...rest } = METRIC;
    expectFinding(await check('metrics', selectRows([{ Unit_ID: unit_id, ...rest }])), {
      rule: 'schema.column-case',
      column: 'Unit_ID',
    });
  });

  it('warns about an extra column, and the file stays valid', async () => {
    const report = await check('metrics', selectRows([{ ...METRIC, source: `'crm'` }]));
    expectFinding(report, { rule: 'schema.unknown-column', column: 'source', severity: 'warning' });
    expect(report.valid).toBe(true);
  });

  it('warns about a file with zero rows, which stays valid', async () => {
    const report = await check('metrics', `${selectRows([METRIC])} LIMIT 0`);
    expect(report.rows).toBe(0);
    expect(report.valid).toBe(true);
    expect(report.warnings.map((finding) => finding.rule)).toContain('file.empty');
    expect(report.warnings.find((finding) => finding.rule === 'file.empty')!.message).toContain(report.file);
  });

  it('still checks the schema of a zero-row file', async () => {
    expectFinding(await check('metrics', `${selectRows([{ ...METRIC, metric_value: `1::INTEGER` }])} LIMIT 0`), {
      rule: 'schema.wrong-type',
      column: 'metric_value',
    });
  });
});

describe('severity overrides (spec §6)', () => {
  it('downgrades an error rule: the file is valid, and each finding says it was overridden', async () => {
    const select = selectRows(rowsWith(METRIC, 3, 1, { date: `DATE '2024-01-08'` }));
    const report = await check('metrics', select, {
      severityOverrides: { 'metrics.date.folder-mismatch': 'warning' },
    });
    expect(report.valid).toBe(true);
    const finding = expectFinding(report, { rule: 'metrics.date.folder-mismatch', row: 1, severity: 'warning' });
    expect(finding.defaultSeverity).toBe('error');
    expect(finding.message).toContain('(an error by default, overridden)');
    expect(report.counts).toContainEqual({
      rule: 'metrics.date.folder-mismatch',
      severity: 'warning',
      defaultSeverity: 'error',
      count: 1,
    });
  });

  it('raises a warning rule to an error', async () => {
    const select = selectRows(rowsWith(METRIC, 3, 2, { unit_id: `'u0'` }));
    const report = await check('metrics', select, { severityOverrides: { 'metrics.duplicate-key': 'error' } });
    expect(expectFinding(report, { rule: 'metrics.duplicate-key', row: 2 }).defaultSeverity).toBe('warning');
    expect(report.valid).toBe(false);
  });

  it('refuses to downgrade a rule that makes the file unreadable, naming it', async () => {
    await expect(
      check('metrics', selectRows([METRIC]), { severityOverrides: { 'schema.missing-column': 'warning' } }),
    ).rejects.toThrow(/"schema.missing-column" cannot be downgraded/);
  });
});
