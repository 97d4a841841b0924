import { closeDuckDb, writeParquet } from '../support/duckdb-parquet';
import { DAY, fixtureChecks } from './support';

const { validateBytes } = fixtureChecks();

/**
 * Spec §6: an encrypted file, and a codec Statsig's reader lacks (LZO), are parquet-level errors. DuckDB writes
 * neither, so a DuckDB file is damaged by hand into each: the footer's magic, and the codec in the footer.
 */
afterAll(async () => {
  await closeDuckDb();
});

const METRICS = `SELECT 'u' || range AS unit_id, 'user_id' AS id_type, DATE '${DAY}' AS date, 'revenue' AS metric_name,
                        range::DOUBLE AS metric_value, NULL::DOUBLE AS numerator, NULL::DOUBLE AS denominator FROM range(100)`;

const ascii = (text: string) => [...text].map((char) => char.charCodeAt(0));

function indexOf(bytes: Uint8Array, pattern: number[], from = 0): number {
  for (let i = from; i + pattern.length <= bytes.length; i++)
    if (pattern.every((byte, j) => bytes[i + j] === byte)) return i;
  return -1;
}

it('judges a file with an encrypted footer (magic PARE) invalid, as encrypted', async () => {
  const bytes = new Uint8Array(await writeParquet(METRICS));
  bytes.set(ascii('PARE'), bytes.length - 4);
  bytes.set(ascii('PARE'), 0);
  const report = await validateBytes('metrics', bytes);
  expect(report.valid).toBe(false);
  expect(report.errors.map((finding) => finding.rule)).toEqual(['parquet.encrypted']);
  expect(report.errors[0].message).toContain('Parquet Modular Encryption');
});

it('judges an LZO-compressed column invalid, naming the column and the codecs to use', async () => {
  const bytes = new Uint8Array(await writeParquet(METRICS, { compression: 'snappy' }));
  // Thrift compact encoding of the column's metadata: path_in_schema ["unit_id"] (list of 1 binary: 0x18, length 7,
  // the name), then field 4, codec (header 0x15, zigzag varint: SNAPPY 1 → 0x02). LZO is 3 → 0x06.
  const path = [0x18, 0x07, ...ascii('unit_id'), 0x15, 0x02];
  const at = indexOf(bytes, path, Math.max(0, bytes.length - 4096));
  expect(at).toBeGreaterThan(0);
  bytes[at + path.length - 1] = 0x06;
  const report = await validateBytes('metrics', bytes);
  expect(report.valid).toBe(false);
  const finding = report.errors.find((candidate) => candidate.rule === 'parquet.unsupported-codec');
  expect(finding).toMatchObject({ column: 'unit_id' });
  expect(finding!.message).toContain('LZO');
  expect(finding!.hint).toContain('snappy or zstd');
});
