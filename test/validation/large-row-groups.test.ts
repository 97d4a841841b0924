import { parquetWriteBuffer } from 'hyparquet-writer';
import { byteSourceFromBytes, type Decoder, validateParquet, type ValidationReport } from '../../lambda/validation';
import { SLICE_ROWS } from '../../lambda/validation/read-plan';
import type { GroupTask, WorkerTask } from '../../lambda/validation/worker/protocol';
import { DecodePool } from '../../lambda/validation';
import { MIN_MEMORY_BUDGET_MB } from '../../lambda/wire/config';
import { SOURCE_DECODER_SCRIPT, suiteDecoder } from '../support/decoder';
import { closeDuckDb, duckdbReads, writeParquet, writeParquetFile } from '../support/duckdb-parquet';
import { readFileSync, writeFileSync } from 'node:fs';
import { DAY, NOW_MS } from './support';

/**
 * Issue 2: a file written as one huge row group is read in row slices through its offset indexes, so memory follows
 * the slice, not the row group. DuckDB writes no offset indexes (it has no option for them), so the sliced file is
 * written by hyparquet-writer, which writes them by default like Spark's writer; DuckDB writes the same rows in
 * ordinary row groups as the reference the sliced reading must agree with.
 */
const ROWS = 3 * SLICE_ROWS + 1000;
const BAD_ID_TYPE_AT = [5, SLICE_ROWS + 7, 3 * SLICE_ROWS + 999];
const DUPLICATE_OF = { row: 2 * SLICE_ROWS + 3, copies: 10 };

/** Records the tasks it passes on: the test observes how the file was cut, the decoding itself is untouched. */
function recording(decoder: Decoder): Decoder & { readonly tasks: WorkerTask[] } {
  const tasks: WorkerTask[] = [];
  return {
    tasks,
    size: decoder.size,
    maxPageBytes: decoder.maxPageBytes,
    run: (task, timeoutMs, fetch) => {
      tasks.push(task);
      return decoder.run(task, timeoutMs, fetch);
    },
  };
}

function column<T>(make: (row: number) => T): T[] {
  return Array.from({ length: ROWS }, (_, row) => make(row));
}

const unitId = (row: number) => `u${row === DUPLICATE_OF.copies ? DUPLICATE_OF.row : row}`;
const idType = (row: number) => (BAD_ID_TYPE_AT.includes(row) ? 'User_ID' : 'user_id');

function hyparquetFile(): Uint8Array {
  return new Uint8Array(
    parquetWriteBuffer({
      rowGroupSize: ROWS,
      pageSize: 64 * 1024,
      columnData: [
        { name: 'unit_id', data: column(unitId), type: 'STRING' },
        { name: 'id_type', data: column(idType), type: 'STRING' },
        { name: 'date', data: column(() => DAY), type: 'STRING' },
        { name: 'metric_name', data: column((row) => `metric_${row % 3}`), type: 'STRING' },
        { name: 'metric_value', data: column((row) => row / 2), type: 'DOUBLE' },
        { name: 'numerator', data: column(() => null), type: 'DOUBLE' },
        { name: 'denominator', data: column(() => null), type: 'DOUBLE' },
      ],
    }),
  );
}

const duckdbSelect = `SELECT 'u' || CASE WHEN range = ${DUPLICATE_OF.copies} THEN ${DUPLICATE_OF.row} ELSE range END AS unit_id,
    CASE WHEN range IN (${BAD_ID_TYPE_AT.join(', ')}) THEN 'User_ID' ELSE 'user_id' END AS id_type,
    '${DAY}' AS date, 'metric_' || (range % 3) AS metric_name, range / 2 AS metric_value,
    NULL::DOUBLE AS numerator, NULL::DOUBLE AS denominator FROM range(${ROWS})`;

const judge = (bytes: Uint8Array, pool: Decoder) =>
  validateParquet(
    byteSourceFromBytes(bytes),
    { file: `metrics/${DAY}/big.parquet`, dataset: 'metrics', day: DAY, nowMs: NOW_MS },
    pool,
  );

const where = (report: ValidationReport) =>
  [...report.errors, ...report.warnings].map(({ rule, row, column }) => ({ rule, row, column }));

describe('a file written as one large row group', () => {
  const pool = recording(suiteDecoder(1));
  const plain = suiteDecoder(1);
  let sliced: ValidationReport;
  let reference: ValidationReport;

  beforeAll(async () => {
    sliced = await judge(hyparquetFile(), pool);
    reference = await judge(await writeParquet(duckdbSelect, { rowGroupSize: 2048 * 60 }), plain);
  });

  afterAll(async () => {
    await closeDuckDb();
  });

  it('is read a slice of rows at a time, through its offset indexes', () => {
    const groups = pool.tasks.filter((task): task is GroupTask => task.type === 'group');
    expect(sliced.rowGroups).toBe(1);
    expect(groups.map((task) => [task.rowStart, task.rowEnd])).toEqual([
      [0, SLICE_ROWS],
      [SLICE_ROWS, 2 * SLICE_ROWS],
      [2 * SLICE_ROWS, 3 * SLICE_ROWS],
      [3 * SLICE_ROWS, ROWS],
    ]);
    expect(groups.every((task) => task.useOffsetIndex && task.spans.length === 0)).toBe(true);
  });

  it('finds every violation at its absolute row, in whichever slice it is', () => {
    expect(sliced.errors.map((finding) => [finding.rule, finding.row])).toEqual(
      BAD_ID_TYPE_AT.map((row) => ['metrics.id_type.unknown', row]),
    );
    expect(sliced.warnings.map((finding) => [finding.rule, finding.row])).toEqual([
      ['metrics.duplicate-key', DUPLICATE_OF.row],
    ]);
  });

  it('gives the verdict DuckDB-written row groups of the same rows get', () => {
    expect(reference.rowGroups).toBeGreaterThan(1);
    expect(where(sliced)).toEqual(where(reference));
    expect(sliced.counts).toEqual(reference.counts);
    expect(sliced.rows).toBe(reference.rows);
  });

  it("passes on a read that fails during a slice as the byte source's own error, not as a verdict", async () => {
    const bytes = hyparquetFile();
    const healthy = byteSourceFromBytes(bytes);
    const failure = new Error('connection reset');
    // The magic and footer reads succeed; the first read of a slice's pages, past the magic, fails.
    const inData = (start: number, end: number) => start >= 4 && end <= bytes.byteLength - 70_000;
    const flaky = {
      byteLength: bytes.byteLength,
      slice: (start: number, end: number) => (inData(start, end) ? Promise.reject(failure) : healthy.slice(start, end)),
    };
    const tasksBefore = pool.tasks.length;
    await expect(
      validateParquet(flaky, { file: 'metrics/x.parquet', dataset: 'metrics', day: DAY, nowMs: NOW_MS }, pool),
    ).rejects.toBe(failure);
    expect(pool.tasks.slice(tasksBefore).some((task) => task.type === 'group')).toBe(true);
  });
});

/** Two well-formed files of one large row group (written to a path, for DuckDB to read after the verdict). */
const TOO_LARGE_FOR_THE_LEAST_BUDGET = [
  {
    // DuckDB writes a column chunk of it as one page of 22 MB, more than a page may hold in the least budget.
    cause: 'a page larger than a decoder may hold',
    rows: 2_000_000,
    says: /uncompressed_page_size \d+ is more than the memory budget lets a page hold/,
    write: (rows: number) =>
      writeParquetFile(
        `SELECT 'u' || range AS unit_id, 'user_id' AS id_type, '${DAY}' AS date, 'metric_' || (range % 3) AS metric_name,
          range / 2 AS metric_value, NULL::DOUBLE AS numerator, NULL::DOUBLE AS denominator FROM range(${rows})`,
        { rowGroupSize: rows },
      ),
  },
  {
    // Pages of 1 MB and no offset index to read the row group by: its 4,000-character IDs outgrow the decoder's heap.
    cause: "values that outgrow a decoder's heap",
    rows: 40_000,
    says: /the decoder ran out of memory on it/,
    write: async (rows: number) => {
      const path = await writeParquetFile(`SELECT 1`);
      const column = (name: string, make: (row: number) => string | number | null, type: 'STRING' | 'DOUBLE') => ({
        name,
        data: Array.from({ length: rows }, (_, row) => make(row)),
        type,
        offsetIndex: false,
      });
      const padding = 'x'.repeat(4000);
      const bytes = parquetWriteBuffer({
        rowGroupSize: rows,
        columnData: [
          column('unit_id', (row) => `${padding}${row}`, 'STRING'),
          column('id_type', () => 'user_id', 'STRING'),
          column('date', () => DAY, 'STRING'),
          column('metric_name', (row) => `metric_${row % 3}`, 'STRING'),
          column('metric_value', (row) => row / 2, 'DOUBLE'),
          column('numerator', () => null, 'DOUBLE'),
          column('denominator', () => null, 'DOUBLE'),
        ],
      });
      writeFileSync(path, new Uint8Array(bytes));
      return path;
    },
  },
];

test.each(TOO_LARGE_FOR_THE_LEAST_BUDGET)(
  'a row group with $cause is too large, not corrupt, and DuckDB reads the file',
  async ({ rows, says, write }) => {
    // The least budget gives its one decoder the least share: a 96 MB heap, pages of 12 MB.
    const pool = new DecodePool({ script: SOURCE_DECODER_SCRIPT, memoryBudgetBytes: MIN_MEMORY_BUDGET_MB * 2 ** 20 });
    const path = await write(rows);
    try {
      const report = await judge(new Uint8Array(readFileSync(path)), pool);
      expect(report.counts.map((count) => count.rule)).toEqual(['file.too-large']);
      expect(report.errors[0].message).toContain(
        `row group 0 (rows 0 to ${rows - 1}) needs more memory than a decoder has in the validator's memory budget`,
      );
      expect(report.errors[0].message).toMatch(says);
      expect(await duckdbReads(path)).toEqual({ rows });
    } finally {
      await pool.close();
    }
  },
  120_000,
);
