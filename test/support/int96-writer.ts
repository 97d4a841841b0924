import { ByteWriter } from 'hyparquet-writer';
import { writePageHeader } from 'hyparquet-writer/src/datapage.js';
import { writeMetadata } from 'hyparquet-writer/src/metadata.js';

// The footer's types as hyparquet-writer's own hyparquet version has them.
type FileMetaData = Parameters<typeof writeMetadata>[1];
type SchemaElement = FileMetaData['schema'][number];

/**
 * A writer of INT96 timestamps, the layout Spark, Hive and Impala write by default (`spark.sql.parquet.outputTimestampType`
 * = INT96): 8 bytes of nanoseconds within the day, little-endian, then 4 bytes of the Julian day, little-endian. No npm
 * writer writes real INT96 (hyparquet-writer has no INT96 encoder, and @dsnp/parquetjs 1.8.9 zeroes the Julian day), so
 * this one builds the file from its parts: one row group, one PLAIN uncompressed data page per column, REQUIRED
 * columns, and the Thrift footer written by hyparquet-writer's own metadata writer. DuckDB reading it back is the proof.
 */
export type Int96Column =
  | { readonly name: string; readonly type: 'INT96'; readonly epochMs: readonly number[] }
  | { readonly name: string; readonly type: 'UTF8'; readonly values: readonly string[] };

const JULIAN_DAY_OF_EPOCH = 2_440_588;
const DAY_NANOS = 86_400_000_000_000n;

/** The 12 bytes Spark writes for an instant. */
export function int96Bytes(epochMs: number): Uint8Array {
  const nanos = BigInt(epochMs) * 1_000_000n;
  const day = nanos >= 0n ? nanos / DAY_NANOS : (nanos - DAY_NANOS + 1n) / DAY_NANOS;
  const bytes = new Uint8Array(12);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(0, nanos - day * DAY_NANOS, true);
  view.setUint32(8, Number(day) + JULIAN_DAY_OF_EPOCH, true);
  return bytes;
}

function plainValues(column: Int96Column): { bytes: Uint8Array; count: number } {
  const writer = new ByteWriter();
  if (column.type === 'INT96') {
    for (const ms of column.epochMs) writer.appendBytes(int96Bytes(ms));
    return { bytes: writer.getBytes(), count: column.epochMs.length };
  }
  for (const value of column.values) {
    const utf8 = new TextEncoder().encode(value);
    writer.appendUint32(utf8.length);
    writer.appendBytes(utf8);
  }
  return { bytes: writer.getBytes(), count: column.values.length };
}

function schemaElement(column: Int96Column): SchemaElement {
  return column.type === 'INT96'
    ? { name: column.name, type: 'INT96', repetition_type: 'REQUIRED' }
    : { name: column.name, type: 'BYTE_ARRAY', repetition_type: 'REQUIRED', converted_type: 'UTF8' };
}

/** A parquet file of the columns, all of one length, as Spark lays out an INT96 timestamp. */
export function writeInt96Parquet(columns: readonly Int96Column[]): Uint8Array {
  const writer = new ByteWriter();
  writer.appendUint32(0x31524150); // PAR1
  const chunks: FileMetaData['row_groups'][number]['columns'] = [];
  let rows = 0;
  for (const column of columns) {
    const { bytes, count } = plainValues(column);
    rows = count;
    const start = writer.offset;
    // REQUIRED flat columns carry no repetition or definition levels: the page is the values alone.
    writePageHeader(writer, {
      type: 'DATA_PAGE',
      uncompressed_page_size: bytes.length,
      compressed_page_size: bytes.length,
      data_page_header: {
        num_values: count,
        encoding: 'PLAIN',
        definition_level_encoding: 'RLE',
        repetition_level_encoding: 'RLE',
      },
    });
    writer.appendBytes(bytes);
    const size = writer.offset - start;
    chunks.push({
      file_offset: BigInt(start),
      meta_data: {
        type: schemaElement(column).type!,
        encodings: ['PLAIN'],
        path_in_schema: [column.name],
        codec: 'UNCOMPRESSED',
        num_values: BigInt(count),
        total_uncompressed_size: BigInt(size),
        total_compressed_size: BigInt(size),
        data_page_offset: BigInt(start),
      },
    });
  }
  const dataBytes = writer.offset - 4;
  writeMetadata(writer, {
    version: 1,
    schema: [{ name: 'spark_schema', num_children: columns.length }, ...columns.map(schemaElement)],
    num_rows: BigInt(rows),
    row_groups: [
      {
        columns: chunks,
        total_byte_size: BigInt(dataBytes),
        num_rows: BigInt(rows),
        file_offset: 4n,
        total_compressed_size: BigInt(dataBytes),
      },
    ],
    created_by: 'statsig-s3 test INT96 writer (Spark layout)',
    metadata_length: 0,
  });
  writer.appendUint32(0x31524150);
  return writer.getBytes();
}

/** An events file as a Spark job writes it: INT96 timestamps, a `user` whose null members Spark keeps. */
export function writeSparkEvents(epochMs: readonly number[], timeuuid: string): Uint8Array {
  return writeInt96Parquet([
    { name: 'timestamp', type: 'INT96', epochMs },
    { name: 'event_name', type: 'UTF8', values: epochMs.map(() => 'click') },
    { name: 'user', type: 'UTF8', values: epochMs.map(() => '{"userID":"u1","email":null}') },
    { name: 'timeuuid', type: 'UTF8', values: epochMs.map(() => timeuuid) },
  ]);
}
