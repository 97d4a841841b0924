import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeDuckDb, readParquetRows } from './duckdb-parquet';
import { int96Bytes, writeInt96Parquet } from './int96-writer';

const folder = mkdtempSync(join(tmpdir(), 'int96-writer-'));
afterAll(async () => {
  rmSync(folder, { recursive: true, force: true });
  await closeDuckDb();
});

test("Spark's INT96 layout: nanoseconds of the day, then the Julian day, both little-endian", () => {
  // 1970-01-02T00:00:00Z is Julian day 2440589 (0x253d8d), zero nanoseconds in; the epoch's day is 2440588.
  expect([...int96Bytes(86_400_000)]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0x8d, 0x3d, 0x25, 0]);
  expect(new DataView(int96Bytes(1).buffer).getBigUint64(0, true)).toBe(1_000_000n);
});

test('DuckDB, the strict reader, reads back the exact instants and strings', async () => {
  const instants = [Date.UTC(2024, 0, 9, 11, 33, 20, 123), Date.UTC(1999, 11, 31, 23, 59, 59, 999), 0];
  const path = join(folder, 'int96.parquet');
  writeFileSync(
    path,
    writeInt96Parquet([
      { name: 'timestamp', type: 'INT96', epochMs: instants },
      { name: 'event_name', type: 'UTF8', values: ['a', 'é', '😀'] },
    ]),
  );
  const rows = await readParquetRows(path);
  expect(rows.map((row) => (row.timestamp as Date).getTime())).toEqual(instants);
  expect(rows.map((row) => row.event_name)).toEqual(['a', 'é', '😀']);
});
