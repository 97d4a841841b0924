import { gzipSync } from 'node:zlib';
import { ByteWriter } from 'hyparquet-writer';
import { writePageHeader } from 'hyparquet-writer/src/datapage.js';
import { writeMetadata } from 'hyparquet-writer/src/metadata.js';
import type { Dataset } from '../../lambda/validation';

/**
 * Issue 12's crafted hostile files, as named cases: each is a file whose bytes claim what no real file holds (rows,
 * page sizes, frames, footer sizes), the harm it did to the validator before, and the verdict it must get now. The
 * jest test (test/validation/crafted-files.test.ts) judges each one; `npm run fuzz` judges each in its child
 * validator and reports its time and its process tree's peak memory against the targets (10 s, 1 GB).
 *
 * Each is a signals file (one DATE column, `finished_date`) built from its parts, as the INT96 writer builds its
 * files: what each case changes is then the one field it names.
 */
export interface CraftedCase {
  readonly name: string;
  /** What the file did to the validator before issue 12. */
  readonly before: string;
  readonly dataset: Dataset;
  /**
   * The file; `scale` below 1 shrinks what makes a valid case heavy (its row groups), for a quick check of its
   * verdict: the benchmark judges every case at full size.
   */
  readonly bytes: (scale?: number) => Uint8Array;
  /** Valid with its rows (at that scale), or invalid with one `parquet.corrupt` whose message says this. */
  readonly expected:
    | { readonly valid: true; readonly rows: (scale: number) => number }
    | { readonly valid: false; readonly says: RegExp };
}

type FileMetaData = Parameters<typeof writeMetadata>[1];
type PageHeader = Parameters<typeof writePageHeader>[1];
type ColumnMetaData = NonNullable<FileMetaData['row_groups'][number]['columns'][number]['meta_data']>;
type Codec = ColumnMetaData['codec'];

const COLUMN = 'finished_date';
/** 2024-01-08, a finished day, in days since the epoch. */
const FINISHED_DAY = 19_730;
const ROWS = 500;

/** `count` PLAIN INT32 values of the finished day. */
function days(count: number): Uint8Array {
  const bytes = new Uint8Array(4 * count);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < count; i++) view.setInt32(4 * i, FINISHED_DAY, true);
  return bytes;
}

/** A data page v1: its header (sizes from its data unless given), then its data. */
function dataPage(
  data: Uint8Array,
  { values = ROWS, uncompressed = data.length }: { values?: number | bigint; uncompressed?: number } = {},
): Uint8Array {
  const writer = new ByteWriter();
  const header = {
    type: 'DATA_PAGE',
    uncompressed_page_size: uncompressed,
    compressed_page_size: data.length,
    data_page_header: {
      num_values: values,
      encoding: 'PLAIN',
      definition_level_encoding: 'RLE',
      repetition_level_encoding: 'RLE',
    },
  } as PageHeader;
  writePageHeader(writer, header);
  writer.appendBytes(data);
  return writer.getBytes();
}

interface Layout {
  /** Rows in each row group, each a value of the one page. */
  readonly rows?: number;
  /** The column chunk's pages, whole (header and data), for each row group. */
  readonly pages?: readonly Uint8Array[];
  readonly codec?: Codec;
  readonly optional?: boolean;
  readonly rowGroups?: number;
  /** Bytes of key-value metadata in each column chunk: how a footer grows to megabytes. */
  readonly chunkPadding?: number;
  /** Changes to the footer once written as a valid one would be. */
  readonly footer?: (metadata: FileMetaData) => FileMetaData;
}

/** A signals file of `rowGroups` row groups of `rows` rows, its chunk's pages as given. */
function signalsFile({
  rows = ROWS,
  pages = [dataPage(days(rows), { values: rows })],
  codec = 'UNCOMPRESSED',
  optional = false,
  rowGroups = 1,
  chunkPadding = 0,
  footer = (metadata) => metadata,
}: Layout): Uint8Array {
  const writer = new ByteWriter();
  writer.appendUint32(0x31524150); // PAR1
  const groups: FileMetaData['row_groups'] = [];
  const padding = chunkPadding ? [{ key: 'padding', value: 'x'.repeat(chunkPadding) }] : undefined;
  for (let group = 0; group < rowGroups; group++) {
    const start = writer.offset;
    for (const page of pages) writer.appendBytes(page);
    const size = BigInt(writer.offset - start);
    const meta: ColumnMetaData = {
      type: 'INT32',
      encodings: ['PLAIN', 'RLE'],
      path_in_schema: [COLUMN],
      codec,
      num_values: BigInt(rows),
      total_uncompressed_size: size,
      total_compressed_size: size,
      data_page_offset: BigInt(start),
      key_value_metadata: padding,
    };
    groups.push({
      columns: [{ file_offset: BigInt(start), meta_data: meta }],
      total_byte_size: size,
      num_rows: BigInt(rows),
      file_offset: BigInt(start),
      total_compressed_size: size,
    });
  }
  writeMetadata(
    writer,
    footer({
      version: 1,
      schema: [
        { name: 'schema', num_children: 1 },
        {
          name: COLUMN,
          type: 'INT32',
          repetition_type: optional ? 'OPTIONAL' : 'REQUIRED',
          converted_type: 'DATE',
        },
      ],
      num_rows: BigInt(rows * rowGroups),
      row_groups: groups,
      created_by: 'statsig-s3 test: a crafted hostile file',
      metadata_length: 0,
    }),
  );
  writer.appendUint32(0x31524150);
  return writer.getBytes();
}

/** Every row group and the file claiming `rows` rows over the ROWS the page holds. */
const claimingRows = (rows: bigint) => (metadata: FileMetaData) => ({
  ...metadata,
  num_rows: rows,
  row_groups: metadata.row_groups.map((group) => ({ ...group, num_rows: rows })),
});

const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];
const BLOCK_BYTES = 128 * 1024;

/** Run-length zstd blocks of 128 KiB each, `total` bytes decompressed in all: four bytes a block. */
function rleBlocks(total: number): number[] {
  const blocks: number[] = [];
  for (let left = total; left > 0; left -= BLOCK_BYTES) {
    const size = Math.min(left, BLOCK_BYTES);
    const header = (left <= BLOCK_BYTES ? 1 : 0) | (1 << 1) | (size << 3);
    blocks.push(header & 0xff, (header >> 8) & 0xff, (header >> 16) & 0xff, 0x2a);
  }
  return blocks;
}

/** A zstd frame declaring `size` bytes (single segment, 4-byte content size) that decompresses to them. */
function zstdFrameDeclaring(size: number): number[] {
  const contentSize = [size & 0xff, (size >>> 8) & 0xff, (size >>> 16) & 0xff, (size >>> 24) & 0xff];
  return [...ZSTD_MAGIC, 0xa0, ...contentSize, ...rleBlocks(size)];
}

/** A zstd frame without a content size (a 128 KiB window) whose blocks decompress to `size` bytes. */
function zstdFrameUndeclared(size: number): number[] {
  return [...ZSTD_MAGIC, 0x00, 7 << 3, ...rleBlocks(size)];
}

const GIB = 2 ** 30;

/** The varint snappy streams open with: the decompressed length. */
function snappyLength(length: number): number[] {
  const out: number[] = [];
  for (let rest = length; ; rest = Math.floor(rest / 128)) {
    if (rest < 128) return [...out, rest];
    out.push((rest % 128) | 0x80);
  }
}

/** An optional column's v1 page: definition levels (a 4-byte length, then the runs) before the values. */
function levelsThenValues(runs: readonly number[], values: Uint8Array): Uint8Array {
  const page = new Uint8Array(4 + runs.length + values.length);
  new DataView(page.buffer).setUint32(0, runs.length, true);
  page.set(runs, 4);
  page.set(values, 4 + runs.length);
  return page;
}

const corrupt = (says: RegExp) => ({ valid: false, says }) as const;

export const CRAFTED_CASES: readonly CraftedCase[] = [
  {
    name: 'row group claiming 2^63 rows',
    before: 'cut into 131,072-row slices without end: no verdict',
    dataset: 'signals',
    bytes: () => signalsFile({ footer: claimingRows(2n ** 63n - 1n) }),
    expected: corrupt(/num_rows is 9223372036854775807, which no parquet file can hold/),
  },
  {
    name: 'footer of 14 MB, 30,000 row groups',
    before: 'the whole footer sent to the decoder again for every row group: no verdict',
    dataset: 'signals',
    bytes: (scale = 1) => signalsFile({ rowGroups: 30_000 * scale, rows: 10, chunkPadding: 400 }),
    expected: { valid: true, rows: (scale) => 30_000 * scale * 10 },
  },
  {
    name: 'footer of 16 MB, 4,000 row groups',
    before: 'the whole footer sent to the decoder again for every row group: no verdict',
    dataset: 'signals',
    bytes: (scale = 1) => signalsFile({ rowGroups: 4_000 * scale, rows: 10, chunkPadding: 3_950 }),
    expected: { valid: true, rows: (scale) => 4_000 * scale * 10 },
  },
  ...[2 ** 28, 2 ** 31 - 1].map((values) => ({
    name: `page num_values ${values}`,
    before: 'decoder arrays grown until V8 aborted, after 6 to 15 s',
    dataset: 'signals' as const,
    bytes: () => signalsFile({ pages: [dataPage(days(ROWS), { values })] }),
    expected: corrupt(new RegExp(`its pages hold ${values} values, the footer says ${ROWS}`)),
  })),
  {
    name: 'page num_values 2^63',
    before: 'decoder arrays grown until V8 aborted, after 6 to 15 s',
    dataset: 'signals',
    // Past an i32, as a mutated varint has it: a strict reader finds no num_values of its type.
    bytes: () => signalsFile({ pages: [dataPage(days(ROWS), { values: 2n ** 63n - 1n })] }),
    expected: corrupt(/page 0: the data page header lacks its required field num_values/),
  },
  {
    name: '135 KB file of four 1 GiB zstd frames',
    before: 'peak process-tree RSS 8.3 GiB',
    dataset: 'signals',
    bytes: () =>
      signalsFile({
        codec: 'ZSTD',
        pages: [
          dataPage(new Uint8Array([1, 2, 3, 4].flatMap(() => zstdFrameDeclaring(GIB))), { uncompressed: 4 * ROWS }),
        ],
      }),
    expected: corrupt(/frames declare 4294967296 bytes, its header says 2000/),
  },
  {
    name: 'zstd frame without a content size',
    before: 'peak process-tree RSS 4.2 GiB',
    dataset: 'signals',
    bytes: () =>
      signalsFile({
        codec: 'ZSTD',
        pages: [dataPage(new Uint8Array(zstdFrameUndeclared(4 * GIB - 1)), { uncompressed: 4 * ROWS })],
      }),
    expected: corrupt(/a ZSTD page does not decompress into its 2000 bytes: libzstd refuses its stream/),
  },
  {
    name: 'SNAPPY page claiming 2 GiB',
    before: 'peak process-tree RSS 2.2 GiB, and judged valid',
    dataset: 'signals',
    bytes: () =>
      signalsFile({
        codec: 'SNAPPY',
        pages: [dataPage(new Uint8Array([...snappyLength(2 ** 31 - 1), 0x00, 0x2a]), { uncompressed: 2 ** 31 - 1 })],
      }),
    expected: corrupt(/its 7 bytes of SNAPPY cannot decompress to the 2147483647 bytes its header claims/),
  },
  {
    name: 'compressed page whose definition levels repeat past its values',
    before: "hyparquet wrote the run's 2^30 levels into a growing array until the decoder's heap was gone",
    dataset: 'signals',
    bytes: () =>
      signalsFile({
        codec: 'GZIP',
        optional: true,
        pages: [
          (() => {
            // One run of 2^30 "present" levels (a run header is the count shifted left by one), for 500 values.
            const page = levelsThenValues([0x80, 0x80, 0x80, 0x80, 0x08, 0x01], days(ROWS));
            return dataPage(gzipSync(page), { uncompressed: page.length });
          })(),
        ],
      }),
    expected: corrupt(/page 0: a run of 1073741824 definition levels, more than its 500 values left/),
  },
  {
    name: 'footer num_rows 2^62 over 500 rows',
    before: 'a valid report with rows: 4611686018427388000',
    dataset: 'signals',
    bytes: () => signalsFile({ footer: (metadata) => ({ ...metadata, num_rows: 2n ** 62n }) }),
    expected: corrupt(/num_rows is 4611686018427387904, which no parquet file can hold/),
  },
  {
    name: 'footer giving rows -8',
    before: 'a report with rows: -8',
    dataset: 'signals',
    bytes: () => signalsFile({ footer: claimingRows(-8n) }),
    expected: corrupt(/num_rows is -8, which no parquet file can hold/),
  },
  {
    name: 'schema element without a name',
    before: "an internal TypeError (reading 'toLowerCase') as the message",
    dataset: 'signals',
    bytes: () =>
      signalsFile({
        footer: (metadata) => ({
          ...metadata,
          schema: [metadata.schema[0], { ...metadata.schema[1], name: undefined as unknown as string }],
        }),
      }),
    expected: corrupt(/a schema element lacks its required field name/),
  },
];
