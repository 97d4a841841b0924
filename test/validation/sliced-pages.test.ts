import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetMetadata, readOffsetIndex } from 'hyparquet';
import type { ValidationReport } from '../../lambda/validation';
import { SLICE_ROWS } from '../../lambda/validation/read-plan';
import { readPageHeader } from '../../lambda/validation/worker/page-header';
import { closeDuckDb, duckdbReads } from '../support/duckdb-parquet';
import { writeArrowRs } from '../support/producer-writers';
import { DAY, fixtureChecks } from './support';

/**
 * Issue 12: a row group larger than a slice is read a slice at a time through its chunks' offset indexes
 * (`large-row-groups.test.ts`), and those reads are as strict as a whole row group's. arrow-rs writes offset indexes
 * (DuckDB does not), so the file is arrow-rs's: one row group of three slices. Each damage below lies in the pages of
 * the last slice, or in an offset index, which only the sliced reading reads.
 */
const ROWS = 2 * SLICE_ROWS + 20_000;
type PageLocation = ReturnType<typeof readOffsetIndex>['page_locations'][number];
const COLUMN = 'metric_name';

const { validateBytes } = fixtureChecks();
let scratch = '';

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'statsig-s3-sliced-'));
});

afterAll(async () => {
  await closeDuckDb();
  rmSync(scratch, { recursive: true, force: true });
});

function largeRowGroup(): Uint8Array {
  const rows = Array.from({ length: ROWS }, (_, i) => i);
  return writeArrowRs(
    (arrow) =>
      new arrow.Table({
        unit_id: arrow.vectorFromArray(rows.map((i) => `u${i}`)),
        id_type: arrow.vectorFromArray(rows.map(() => 'user_id')),
        date: arrow.vectorFromArray(
          rows.map(() => new Date(`${DAY}T00:00:00Z`)),
          new arrow.DateDay(),
        ),
        metric_name: arrow.vectorFromArray(rows.map((i) => `m${i % 3}`)),
        metric_value: arrow.vectorFromArray(
          rows.map((i) => i / 2),
          new arrow.Float64(),
        ),
        numerator: arrow.vectorFromArray(
          rows.map(() => null),
          new arrow.Float64(),
        ),
        denominator: arrow.vectorFromArray(
          rows.map(() => null),
          new arrow.Float64(),
        ),
      }),
    { maxRowGroupSize: ROWS },
  );
}

const original = largeRowGroup();

/** The column's chunk, its offset index's place, and its pages as the index locates them. */
function indexOf(bytes: Uint8Array) {
  const metadata = parquetMetadata(bytes.slice().buffer);
  const chunk = metadata.row_groups[0].columns.find((candidate) => candidate.meta_data?.path_in_schema[0] === COLUMN)!;
  const start = Number(chunk.offset_index_offset);
  const view = new DataView(bytes.buffer, bytes.byteOffset + start, chunk.offset_index_length);
  const pages: PageLocation[] = readOffsetIndex({ view, offset: 0 }).page_locations;
  const chunkStart = Number(chunk.meta_data!.dictionary_page_offset || chunk.meta_data!.data_page_offset);
  return {
    rows: Number(metadata.row_groups[0].num_rows),
    start,
    pages,
    dictionary: Number(pages[0].offset) > chunkStart,
  };
}

const zigzag = (value: number) => (value >= 0 ? 2 * value : -2 * value - 1);

function varint(value: number): number[] {
  const out: number[] = [];
  for (let rest = value; ; rest = Math.floor(rest / 128)) {
    if (rest < 128) return [...out, rest];
    out.push((rest % 128) | 0x80);
  }
}

/** A compact-protocol field: its header byte, then its value as a zigzag varint. */
const field = (head: number, value: number) => [head, ...varint(zigzag(value))];

function find(bytes: Uint8Array, at: number, pattern: readonly number[]): number {
  for (let i = at; i < bytes.length; i++) if (pattern.every((byte, k) => bytes[i + k] === byte)) return i;
  throw new Error(`no bytes ${pattern.join(' ')} after byte ${at}`);
}

/** Replaces the first field `head` of value `from` at or after `at` with the same field of value `to`. */
function rewriteField(bytes: Uint8Array, at: number, head: number, from: number, to: number): Uint8Array {
  const [before, after] = [field(head, from), field(head, to)];
  expect(after.length).toBe(before.length);
  const damaged = bytes.slice();
  damaged.set(after, find(bytes, at, before));
  return damaged;
}

/** Where a page's location starts in the offset index: its offset, the struct's first field. */
const locationAt = (bytes: Uint8Array, start: number, page: PageLocation) =>
  find(bytes, start, field(NEXT_I64, Number(page.offset)));

/** An i64 or i32 field following the one before it in its struct, as page headers and page locations have them. */
const NEXT_I64 = 0x16;
const NEXT_I32 = 0x15;

const judge = (bytes: Uint8Array) => validateBytes('metrics', bytes);

let written = 0;

async function duckdb(bytes: Uint8Array) {
  // A name of its own for each file: DuckDB may keep what it read of a path.
  const path = join(scratch, `damaged-${written++}.parquet`);
  writeFileSync(path, bytes);
  return duckdbReads(path);
}

function corruption(report: ValidationReport): string {
  expect(report.valid).toBe(false);
  expect(report.errors.map((finding) => finding.rule)).toEqual(['parquet.corrupt']);
  return report.errors[0].message;
}

/** The first page the last slice reads: the index's page whose rows hold row 2 × SLICE_ROWS. */
function lastSlicePage(pages: readonly PageLocation[]): number {
  return pages.findIndex((_, i) => Number(pages[i + 1]?.first_row_index ?? ROWS) > 2 * SLICE_ROWS);
}

it('a large row group with offset indexes is valid and read in slices, and DuckDB reads it', async () => {
  const { rows, pages } = indexOf(original);
  expect(rows).toBe(ROWS);
  expect(pages.length).toBeGreaterThan(3);
  const report = await judge(original);
  expect([report.valid, report.errors]).toEqual([true, []]);
  expect(report.rows).toBe(ROWS);
  expect(await duckdb(original)).toEqual({ rows: ROWS });
});

it('a page header in the last slice whose size disagrees with its location is corrupt, naming the page; DuckDB refuses it too', async () => {
  const { pages, dictionary } = indexOf(original);
  const target = lastSlicePage(pages);
  const offset = Number(pages[target].offset);
  // The header: type, uncompressed_page_size, compressed_page_size, each an i32 after the one before.
  const header = readPageHeader(original, offset);
  const damaged = rewriteField(original, offset, NEXT_I32, header.compressedSize, header.compressedSize + 1);
  const message = corruption(await judge(damaged));
  expect(message).toContain(`row group 0, column '${COLUMN}', page ${target + (dictionary ? 1 : 0)}:`);
  expect((await duckdb(damaged)).error).toBeDefined();
});

describe('a damaged offset index, which DuckDB never reads, is corrupt', () => {
  // hyparquet takes the index as it comes: it sizes the bytes it reads from the locations and cuts the rows at the
  // first row indexes, so a lying index has it read part of a page as a page, or rows twice, instead of failing.
  it('when a page starts at a row no later than the page before it', async () => {
    const { start, pages } = indexOf(original);
    const target = lastSlicePage(pages);
    const [previous, row] = [Number(pages[target - 1].first_row_index), Number(pages[target].first_row_index)];
    const damaged = rewriteField(original, locationAt(original, start, pages[target]), NEXT_I64, row, previous);
    const message = corruption(await judge(damaged));
    expect(message).toContain(`row group 0, column '${COLUMN}', page ${target} of its offset index:`);
    expect(message).toContain(`first_row_index ${previous} is not after row ${previous}`);
    expect(await duckdb(damaged)).toEqual({ rows: ROWS });
  });

  it('when a page runs past its column chunk', async () => {
    const { start, pages } = indexOf(original);
    const last = pages.length - 1;
    const size = pages[last].compressed_page_size;
    // The largest size written in as many bytes: the page was the chunk's last, so it now runs past the chunk's end.
    const larger = Math.floor((2 ** (7 * varint(zigzag(size)).length) - 1) / 2);
    expect(larger).toBeGreaterThan(size);
    const damaged = rewriteField(original, locationAt(original, start, pages[last]), NEXT_I32, size, larger);
    const message = corruption(await judge(damaged));
    expect(message).toContain(`row group 0, column '${COLUMN}', page ${last} of its offset index:`);
    expect(message).toContain(`run past the column chunk's end`);
  });
});
