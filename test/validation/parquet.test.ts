import { readFileSync } from 'node:fs';
import { type ValidationReport } from '../../lambda/validation';
import { closeDuckDb, writeParquet, writeParquetFile } from '../support/duckdb-parquet';
import { chunkLocations, DAY, EPOCH_SECONDS, expectClean, expectFinding, fixtureChecks } from './support';

const { validateBytes } = fixtureChecks();

/** Spec §6 (parquet-level verdicts) and issue 2's codec, streaming and hostile-input requirements. */

afterAll(async () => {
  await closeDuckDb();
});

/** `rows` valid events; `badAt` gets an empty event_name (an error) so a decode that skipped the row would show. */
function eventsSelect(rows: number, badAt = -1): string {
  return `SELECT ${EPOCH_SECONDS}::BIGINT + range % 3600 AS timestamp,
                 CASE WHEN range = ${badAt} THEN '' ELSE 'event_' || (range % 17) END AS event_name,
                 '{"userID":"u' || range || '"}' AS "user",
                 (range % 5)::VARCHAR AS event_value,
                 '{"k":"' || (range % 3) || '"}' AS event_metadata,
                 uuid()::VARCHAR AS timeuuid
          FROM range(${rows})`;
}

function metricsSelect(rows: number, overrides: { unitId?: string; value?: string } = {}): string {
  return `SELECT ${overrides.unitId ?? `'u' || range`} AS unit_id, 'user_id' AS id_type, DATE '${DAY}' AS date,
                 'metric_' || (range % 4) AS metric_name, ${overrides.value ?? 'range::DOUBLE'} AS metric_value,
                 NULL::DOUBLE AS numerator, NULL::DOUBLE AS denominator
          FROM range(${rows})`;
}

function parquetErrors(report: ValidationReport): string[] {
  return report.errors.filter((finding) => finding.rule.startsWith('parquet.')).map((finding) => finding.rule);
}

/** A damaged file gets a verdict, not an exception: invalid, a parquet.* rule, the file named in the message. */
function expectParquetError(report: ValidationReport, rule?: string): void {
  expect(report.valid).toBe(false);
  const rules = parquetErrors(report);
  if (rule) expect(rules).toContain(rule);
  else expect(rules.length).toBeGreaterThan(0);
  for (const finding of report.errors) {
    expect(finding.message).toContain(report.file);
    expect(finding.message).toContain(finding.hint);
  }
}

describe('codecs', () => {
  it.each(['snappy', 'gzip', 'zstd', 'brotli', 'lz4', 'lz4_raw', 'uncompressed'])(
    'reads %s, finding a bad value deep in the file',
    async (compression) => {
      const good = await validateBytes('events', await writeParquet(eventsSelect(3000), { compression }));
      expectClean(good);
      expect(good.rows).toBe(3000);
      const bad = await validateBytes('events', await writeParquet(eventsSelect(3000, 2777), { compression }));
      expectFinding(bad, { rule: 'events.event_name.length', column: 'event_name', row: 2777 });
      expect(bad.errorCount).toBe(1);
    },
  );
});

describe('row groups', () => {
  // DuckDB rounds row groups up to its 2048-row vectors.
  const write = { rowGroupSize: 2048 };

  it('reports the absolute row index of a violation in a late row group', async () => {
    const report = await validateBytes(
      'metrics',
      await writeParquet(
        metricsSelect(10_000, { unitId: `CASE WHEN range = 9123 THEN '' ELSE 'u' || range END` }),
        write,
      ),
    );
    expect(report.rowGroups).toBeGreaterThanOrEqual(4);
    expect(report.rows).toBe(10_000);
    expectFinding(report, { rule: 'metrics.unit_id.empty', column: 'unit_id', row: 9123 });
    expect(report.errorCount).toBe(1);
  });

  it('finds a duplicate key whose first row is in another row group', async () => {
    const report = await validateBytes(
      'metrics',
      await writeParquet(
        metricsSelect(10_000, { unitId: `'u' || CASE WHEN range = 9500 THEN 8 ELSE range END` }),
        write,
      ),
    );
    expect(report.rowGroups).toBeGreaterThanOrEqual(4);
    // range 9500 has metric_name metric_0, as does range 8.
    expectFinding(report, { rule: 'metrics.duplicate-key', row: 9500, severity: 'warning' });
    expect(report.valid).toBe(true);
  });

  it('counts every violation but lists the first 100 in row order, across row groups', async () => {
    const report = await validateBytes(
      'metrics',
      await writeParquet(
        metricsSelect(5000, {
          unitId: `''`,
          value: `CASE WHEN range % 1000 = 999 THEN 'NaN'::DOUBLE ELSE range::DOUBLE END`,
        }),
        write,
      ),
    );
    expect(report.rowGroups).toBeGreaterThanOrEqual(2);
    expect(report.counts).toEqual(
      expect.arrayContaining([
        { rule: 'metrics.unit_id.empty', severity: 'error', count: 5000 },
        { rule: 'metrics.number.non-finite', severity: 'error', count: 5 },
      ]),
    );
    expect(report.errorCount).toBe(5005);
    expect(report.errors).toHaveLength(100);
    const rows = report.errors.map((finding) => finding.row!);
    expect(rows).toEqual([...rows].sort((a, b) => a - b));
    expect(rows[0]).toBe(0);
    expect(rows[rows.length - 1]).toBeLessThan(100);
  });
});

describe('damaged and foreign files', () => {
  let original: Uint8Array;
  let path: string;

  beforeAll(async () => {
    path = await writeParquetFile(eventsSelect(3000), { compression: 'snappy' });
    original = new Uint8Array(readFileSync(path));
  });

  const text = (body: string) => new TextEncoder().encode(body);

  it('the undamaged file is valid', async () => {
    expectClean(await validateBytes('events', original));
  });

  it.each([
    ['an empty (0-byte) file', () => new Uint8Array(0), 'parquet.empty-file'],
    ['a file under 12 bytes', () => original.slice(0, 11), undefined],
    ['the magic alone', () => text('PAR1PAR1'), undefined],
    ['a file cut short', () => original.slice(0, original.length - 100), 'parquet.truncated'],
    ['a file cut in half', () => original.slice(0, original.length >> 1), 'parquet.truncated'],
    [
      'CSV text',
      () => text('timestamp,event_name,user\n1704800000,click,"{""userID"":""u1""}"\n'),
      'parquet.not-parquet',
    ],
    ['JSON lines', () => text('{"timestamp":1704800000,"event_name":"click"}\n'.repeat(3)), 'parquet.not-parquet'],
  ])('judges %s invalid', async (_label, bytes, rule) => {
    expectParquetError(await validateBytes('events', bytes()), rule);
  });

  it('says what a foreign file looks like', async () => {
    const csv = await validateBytes('events', text('timestamp,event_name\n1,click\n2,view\n'));
    expect(csv.errors[0].problem).toMatch(/CSV|text/);
    const json = await validateBytes('events', text('[{"timestamp":1,"event_name":"click"}]'));
    expect(json.errors[0].problem).toMatch(/JSON/);
  });

  it.each([
    ['far beyond the file', 0xfffffff0],
    ['one byte more than the file holds', -1],
    ['too small to hold the footer', 20],
    ['zero', 0],
  ])('judges a footer length %s invalid', async (_label, length) => {
    const damaged = original.slice();
    const view = new DataView(damaged.buffer);
    view.setUint32(damaged.length - 8, length === -1 ? damaged.length - 8 - 4 + 1 : length, true);
    expectParquetError(await validateBytes('events', damaged));
  });

  it('judges a corrupt page header invalid, naming the file', async () => {
    const chunk = (await chunkLocations(path)).find((location) => location.column === 'event_name')!;
    const damaged = original.slice();
    damaged.fill(0xff, chunk.dataPageOffset, chunk.dataPageOffset + 24);
    expectParquetError(await validateBytes('events', damaged));
  });

  it('judges corrupt compressed data in the middle of a page invalid', async () => {
    const chunk = (await chunkLocations(path)).find((location) => location.column === 'user')!;
    const damaged = original.slice();
    const middle = chunk.start + (chunk.size >> 1);
    for (let i = middle; i < middle + 64; i++) damaged[i] ^= 0xa5;
    expectParquetError(await validateBytes('events', damaged));
  });
});

describe('invalid UTF-8', () => {
  it('rejects bytes that are not UTF-8 in a string column, at their row', async () => {
    // DuckDB refuses to put non-UTF-8 into VARCHAR, so an uncompressed file gets the bytes replaced in place.
    const marker = 'QQQQ_bad_name_QQQQ';
    const path = await writeParquetFile(
      eventsSelect(10).replace(`WHEN range = -1 THEN ''`, `WHEN range = 6 THEN '${marker}'`),
      { compression: 'uncompressed' },
    );
    const bytes = new Uint8Array(readFileSync(path));
    const footerStart = bytes.length - 8 - new DataView(bytes.buffer).getUint32(bytes.length - 8, true);
    const needle = new TextEncoder().encode(marker);
    let replaced = 0;
    for (let i = 0; i + needle.length <= footerStart; i++) {
      if (needle.every((byte, j) => bytes[i + j] === byte)) {
        bytes.set([0xc3, 0x28, 0xff, 0xfe], i);
        replaced += 1;
      }
    }
    expect(replaced).toBeGreaterThan(0);
    const report = await validateBytes('events', bytes);
    expectFinding(report, { rule: 'parquet.invalid-utf8', column: 'event_name', row: 6 });
    expect(report.counts).toContainEqual({ rule: 'parquet.invalid-utf8', severity: 'error', count: 1 });
  });
});

describe('reading only what is needed', () => {
  let big: Uint8Array;

  beforeAll(async () => {
    big = await writeParquet(eventsSelect(200_000), { compression: 'snappy' });
  });

  it('schemaOnly reads the footer only, and still judges the schema', async () => {
    const report = await validateBytes('events', big, { schemaOnly: true });
    expect(report.valid).toBe(true);
    expect(report.rows).toBe(200_000);
    expect(report.bytes).toBe(big.length);
    expect(report.bytesRead).toBeLessThan(big.length / 10);
    expect(report.bytesRead).toBeLessThanOrEqual(64 * 1024 + 4);

    const wrongType = await writeParquet(
      `SELECT 'x' AS timestamp, * EXCLUDE (timestamp) FROM (${eventsSelect(200_000, 5)})`,
    );
    const schemaReport = await validateBytes('events', wrongType, { schemaOnly: true });
    expectFinding(schemaReport, { rule: 'schema.wrong-type', column: 'timestamp' });
    // The bad event_name at row 5 is a value: schemaOnly never reads it.
    expect(schemaReport.counts.map((count) => count.rule)).not.toContain('events.event_name.length');
  });

  it('does not fetch a column no rule reads', async () => {
    const withPayload = await writeParquet(
      `SELECT ${EPOCH_SECONDS}::BIGINT AS timestamp, 'click' AS event_name, '{"userID":"u1"}' AS "user", uuid()::VARCHAR AS timeuuid,
              md5(range::VARCHAR) || md5((range * 7)::VARCHAR) || md5((range * 13)::VARCHAR) AS payload
       FROM range(50000)`,
    );
    const report = await validateBytes('events', withPayload);
    expect(report.valid).toBe(true);
    expect(report.rows).toBe(50_000);
    expectFinding(report, { rule: 'schema.unknown-column', column: 'payload', severity: 'warning' });
    expect(report.bytesRead).toBeLessThan(report.bytes / 2);
  });

  it('a tiny decode deadline gives a parquet verdict instead of hanging, and the pool works afterwards', async () => {
    const started = Date.now();
    const report = await validateBytes('events', big, { decodeTimeoutMs: 1 });
    expect(Date.now() - started).toBeLessThan(20_000);
    expectParquetError(report, 'parquet.decode-timeout');
    const after = await validateBytes('events', big);
    expectClean(after);
    expect(after.rows).toBe(200_000);
  });
});

describe('the decode deadline from a cold start', () => {
  // A decoder of its own, whose process has not started when the test begins.
  const cold = fixtureChecks();

  it('a deadline that passes before the decoder starts is still a decode timeout, not a corrupt footer', async () => {
    const bytes = await writeParquet(eventsSelect(1000));
    const report = await cold.validateBytes('events', bytes, { decodeTimeoutMs: 1 });
    expectParquetError(report, 'parquet.decode-timeout');
    expectClean(await cold.validateBytes('events', bytes));
  });
});
