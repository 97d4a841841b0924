import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeDuckDb, readParquetRows } from './duckdb-parquet';
import { writeArrowRs, writePolars } from './producer-writers';

const folder = mkdtempSync(join(tmpdir(), 'producer-writers-'));
afterAll(async () => {
  rmSync(folder, { recursive: true, force: true });
  await closeDuckDb();
});

/** DuckDB, the strict reader, reads what a writer wrote. */
async function readBack(name: string, bytes: Uint8Array): Promise<Record<string, unknown>[]> {
  const path = join(folder, name);
  writeFileSync(path, bytes);
  return readParquetRows(path);
}

test('Polars writes a file DuckDB reads back row for row, nulls included', async () => {
  const bytes = writePolars((pl) => pl.DataFrame({ unit_id: ['u1', 'u2'], metric_value: [1.5, null] }));
  expect(await readBack('polars.parquet', bytes)).toEqual([
    { unit_id: 'u1', metric_value: 1.5 },
    { unit_id: 'u2', metric_value: null },
  ]);
});

test('arrow-rs writes a file DuckDB reads back row for row', async () => {
  const bytes = writeArrowRs((arrow) =>
    arrow.tableFromArrays({ unit_id: ['u1', 'u2'], metric_value: Float64Array.from([1.5, 2]) }),
  );
  expect(await readBack('arrow-rs.parquet', bytes)).toEqual([
    { unit_id: 'u1', metric_value: 1.5 },
    { unit_id: 'u2', metric_value: 2 },
  ]);
});
