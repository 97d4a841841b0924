import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetMetadata } from 'hyparquet';
import * as parquetWasm from 'parquet-wasm';
import { readPageHeader } from '../../lambda/validation/worker/page-header';
import { closeDuckDb, duckdbReads, writeParquet } from '../support/duckdb-parquet';
import { arrowEvents, ROWS } from '../support/fuzz-fixtures';
import { EPOCH_SECONDS, fixtureChecks } from './support';

const { validateBytes } = fixtureChecks();

/**
 * Issue 12: what DuckDB refuses in a page's bytes or the footer's schema and hyparquet reads past. DELTA_BINARY_PACKED
 * runs (a page's integers, or the lengths of DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY) with impossible blocks or
 * blocks past the page, definition levels claiming more bytes than the page has, and a schema element whose
 * repetition_type a strict reader skips. Each damaged copy is refused by DuckDB and judged parquet.corrupt, naming the
 * row group, column and page; the files as the writers wrote them stay valid.
 */

/** Events as arrow-rs writes them without a dictionary: every DELTA encoding, pages in the clear unless compressed. */
function deltaEvents(options: { dataPageV2?: boolean; compression?: parquetWasm.Compression } = {}): Uint8Array {
  return arrowEvents({
    dictionary: false,
    compression: options.compression ?? parquetWasm.Compression.UNCOMPRESSED,
    dataPageV2: options.dataPageV2,
    columnEncodings: {
      timestamp: parquetWasm.Encoding.DELTA_BINARY_PACKED,
      event_name: parquetWasm.Encoding.DELTA_BYTE_ARRAY,
      user: parquetWasm.Encoding.DELTA_LENGTH_BYTE_ARRAY,
    },
  });
}

let scratch = '';

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'statsig-s3-strict-pages-'));
});

afterAll(async () => {
  await closeDuckDb();
  rmSync(scratch, { recursive: true, force: true });
});

async function duckdb(bytes: Uint8Array): Promise<{ rows?: number; error?: string }> {
  const path = join(scratch, 'file.parquet');
  writeFileSync(path, bytes);
  return duckdbReads(path);
}

/** Where a column's first data page starts: a v1 page's length of its definition levels. */
function firstPage(bytes: Uint8Array, column: string): number {
  const metadata = parquetMetadata(bytes.slice().buffer);
  const chunk = metadata.row_groups[0].columns.find((candidate) => candidate.meta_data?.path_in_schema[0] === column);
  return readPageHeader(bytes, Number(chunk!.meta_data!.data_page_offset)).dataStart;
}

/** Where the values of a column's first page start, after its length-prefixed definition levels. */
function firstValues(bytes: Uint8Array, column: string): number {
  const page = firstPage(bytes, column);
  return page + 4 + new DataView(bytes.buffer, bytes.byteOffset).getUint32(page, true);
}

/** Where the first data page of a SNAPPY column starts in the clear: its first literal, after the decompressed length. */
function snappyLiteral(bytes: Uint8Array, column: string): number {
  let at = firstPage(bytes, column);
  while (bytes[at] >= 0x80) at++;
  const tag = bytes[++at];
  expect(tag & 3).toBe(0);
  return at + 1 + Math.max(0, (tag >> 2) - 59);
}

/** The offsets of a DELTA_BINARY_PACKED run's header fields, and of its first block's bit widths. */
function deltaHeader(bytes: Uint8Array, at: number) {
  const fields: number[] = [];
  for (let field = 0; field < 5; field++) {
    fields.push(at);
    while (bytes[at] >= 0x80) at++;
    at++;
  }
  const [blockSize, miniblocks, , firstValue] = fields;
  return { blockSize, miniblocks, firstValue, widths: at };
}

function damaged(bytes: Uint8Array, edits: Record<number, number>): Uint8Array {
  const copy = bytes.slice();
  for (const [at, value] of Object.entries(edits)) copy[Number(at)] = value;
  return copy;
}

async function expectRefusedAndCorrupt(bytes: Uint8Array, where: string, problem: RegExp): Promise<void> {
  expect((await duckdb(bytes)).error).toBeDefined();
  const report = await validateBytes('events', bytes);
  expect(report.valid).toBe(false);
  expect(report.errors[0].rule).toBe('parquet.corrupt');
  expect(report.errors[0].message).toContain(where);
  expect(report.errors[0].message).toMatch(problem);
}

it('files with every DELTA encoding, in data pages v1 and v2, are valid, and DuckDB reads them', async () => {
  for (const bytes of [deltaEvents(), deltaEvents({ dataPageV2: true, compression: parquetWasm.Compression.ZSTD })]) {
    const metadata = parquetMetadata(bytes.slice().buffer);
    expect(metadata.row_groups[0].columns.flatMap((chunk) => chunk.meta_data!.encodings)).toEqual(
      expect.arrayContaining(['DELTA_BINARY_PACKED', 'DELTA_BYTE_ARRAY', 'DELTA_LENGTH_BYTE_ARRAY']),
    );
    const report = await validateBytes('events', bytes);
    expect(report.errors).toEqual([]);
    expect(await duckdb(bytes)).toEqual({ rows: ROWS });
  }
});

describe('a DELTA_BINARY_PACKED run DuckDB refuses is parquet.corrupt', () => {
  const bytes = deltaEvents();
  const timestamps = deltaHeader(bytes, firstValues(bytes, 'timestamp'));
  const at = "row group 0, column 'timestamp', page 0";

  it('a block size that gives miniblocks of no multiple of 32 values', async () => {
    // 256 as a two-byte varint becomes 200, in the same two bytes: 50 values per miniblock.
    expect([bytes[timestamps.blockSize], bytes[timestamps.blockSize + 1]]).toEqual([0x80, 0x02]);
    const copy = damaged(bytes, { [timestamps.blockSize]: 0xc8, [timestamps.blockSize + 1]: 0x01 });
    await expectRefusedAndCorrupt(copy, at, /blocks of 200 values in 4 miniblocks/);
  });

  it('no miniblocks, or a count the block size does not divide by', async () => {
    expect(bytes[timestamps.miniblocks]).toBe(4);
    await expectRefusedAndCorrupt(damaged(bytes, { [timestamps.miniblocks]: 0 }), at, /0 miniblocks/);
    await expectRefusedAndCorrupt(damaged(bytes, { [timestamps.miniblocks]: 3 }), at, /in 3 miniblocks/);
  });

  it('a miniblock that runs past the page', async () => {
    // 64 bits a value: the first miniblock would take 256 bytes of a page that has fewer left.
    const copy = damaged(bytes, { [timestamps.widths]: 64 });
    await expectRefusedAndCorrupt(copy, at, /a miniblock of 32 values of 64 bits runs past the page \(256 bytes/);
  });

  it('lengths of DELTA_LENGTH_BYTE_ARRAY strings in blocks of no multiple of 32 values', async () => {
    const lengths = deltaHeader(bytes, firstValues(bytes, 'user'));
    const copy = damaged(bytes, { [lengths.miniblocks]: 3 });
    await expectRefusedAndCorrupt(copy, "row group 0, column 'user', page 0", /in 3 miniblocks/);
  });

  it('a DELTA_BYTE_ARRAY prefix longer than the value before it', async () => {
    const prefixes = deltaHeader(bytes, firstValues(bytes, 'event_name'));
    expect(bytes[prefixes.firstValue]).toBe(0);
    // The first value's prefix: 5 bytes of a value before it that does not exist.
    const copy = damaged(bytes, { [prefixes.firstValue]: 10 });
    await expectRefusedAndCorrupt(copy, "row group 0, column 'event_name', page 0", /reuses 5 bytes of a 0-byte value/);
  });
});

it('definition levels that claim more bytes than their page has are parquet.corrupt', async () => {
  // A column of nulls: hyparquet skips to where the levels claim to end and, with no values to read, reads nothing.
  const bytes = await writeParquet(
    `SELECT ${EPOCH_SECONDS}::BIGINT + range AS timestamp, 'click' AS event_name, '{"userID":"u1"}' AS "user",
            NULL::VARCHAR AS event_metadata, '123e4567-e89b-12d3-a456-426614174000' AS timeuuid FROM range(${ROWS})`,
  );
  // The levels' length, a little-endian 32-bit integer, grows by 0x4a0000 bytes (a flipped byte of the fuzz).
  await expectRefusedAndCorrupt(
    damaged(bytes, { [snappyLiteral(bytes, 'event_metadata') + 2]: 0x4a }),
    "row group 0, column 'event_metadata', page 0",
    /its definition levels claim \d+ bytes, the page has \d+ after their length/,
  );
});

it('definition levels past a page of values are parquet.corrupt too: hyparquet reads the values from past the page', async () => {
  // Only a page small enough to hold nothing but levels is decompressed a second time for the check.
  const bytes = await writeParquet(
    `SELECT ${EPOCH_SECONDS}::BIGINT + range AS timestamp, 'click' AS event_name, '{"userID":"u' || range || '"}' AS "user",
            '123e4567-e89b-12d3-a456-426614174000' AS timeuuid FROM range(${ROWS})`,
  );
  await expectRefusedAndCorrupt(
    damaged(bytes, { [snappyLiteral(bytes, 'user') + 2]: 0x4a }),
    'row group 0',
    /cannot be decoded/,
  );
});

it('a schema element whose repetition_type a strict reader skips is parquet.corrupt', async () => {
  // DuckDB skips a field of the wrong Thrift type and reads the column as required: it takes the dictionary-encoded
  // page's definition levels for its values ("dictionary offset out of range"), where hyparquet reads it as optional.
  const bytes = await writeParquet(
    `SELECT ${EPOCH_SECONDS}::BIGINT + range AS timestamp, 'event_' || (range % 7) AS event_name,
            '{"userID":"u' || range || '"}' AS "user", '{"k":"v"}' AS event_metadata,
            '123e4567-e89b-12d3-a456-426614174000' AS timeuuid FROM range(${ROWS})`,
  );
  const name = Buffer.from('event_metadata');
  const footerStart = bytes.length - 8 - new DataView(bytes.buffer, bytes.byteOffset).getUint32(bytes.length - 8, true);
  // The schema comes first in the footer: the name's first occurrence there is its schema element's.
  const footer = Buffer.from(bytes).indexOf(name, footerStart);
  // `repetition_type` (field 3, i32: 0x25) OPTIONAL, then `name` (field 4, binary: 0x18) of 14 bytes.
  expect([...bytes.subarray(footer - 4, footer)]).toEqual([0x25, 0x02, 0x18, name.length]);
  const copy = damaged(bytes, { [footer - 4]: 0x24 });
  expect((await duckdb(copy)).error).toMatch(/dictionary offset out of range/);
  const report = await validateBytes('events', copy);
  expect(report.errors[0].rule).toBe('parquet.corrupt');
  expect(report.errors[0].message).toContain("schema element 4 ('event_metadata') has no repetition_type");
});
