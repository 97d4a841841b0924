import type { ColumnChunk, FileMetaData, SchemaElement } from 'hyparquet';
import { FILE_METADATA } from './parquet-thrift';
import { CompactReader, type ThriftStruct } from './thrift-compact';

/** Deeper than any real schema; Statsig's columns are flat, and a deeper one only has to be judged, never read. */
const MAX_NESTING_DEPTH = 32;

/**
 * What a strict reader (DuckDB, arrow-rs) requires of a footer and hyparquet does not check: the Thrift fields it
 * needs are present, every schema element is named, counts are possible and agree, and every column chunk lies in
 * the file's data. Throws an Error naming the row group and column; the caller makes it `parquet.corrupt`.
 */
export function checkFooter(tail: ArrayBuffer, metadata: FileMetaData, footerStart: number): void {
  const strict = readStrictly(tail);
  checkSchemaElements(metadata.schema);
  const fileRows = count(metadata.num_rows, "the footer's num_rows");
  const leaves = flatLeaves(metadata.schema);
  const columnOrders = strict.column_orders;
  if (Array.isArray(columnOrders) && columnOrders.length !== leaves.length) {
    throw new Error(`the footer has ${columnOrders.length} column orders for ${leaves.length} columns`);
  }
  checkTextStatistics(strict, leaves);
  for (const [position, element] of (strict.schema as ThriftStruct[]).entries()) {
    if (!isUtf8(element.name as Uint8Array)) throw new Error(`schema element ${position}'s name is not UTF-8`);
    // hyparquet reads a column without one as optional, DuckDB as required: they would decode its pages differently.
    if (position > 0 && element.repetition_type === undefined) {
      throw new Error(
        `schema element ${position} ('${metadata.schema[position]?.name}') has no repetition_type a strict reader reads`,
      );
    }
  }
  let groupRows = 0;
  for (const [index, group] of metadata.row_groups.entries()) {
    const rows = count(group.num_rows, `row group ${index}'s num_rows`);
    groupRows += rows;
    if (!Array.isArray(group.columns) || group.columns.length !== leaves.length) {
      throw new Error(
        `row group ${index} has ${group.columns?.length ?? 0} column chunks, the schema ${leaves.length}`,
      );
    }
    for (const [position, chunk] of group.columns.entries()) {
      checkChunk(chunk, { index, rows, flat: leaves[position], footerStart });
    }
  }
  if (groupRows !== fileRows) {
    throw new Error(`the footer's num_rows is ${fileRows}, its row groups hold ${groupRows}`);
  }
}

/**
 * Reads the footer's Thrift as a strict reader does (hyparquet reads past missing required fields and unknown types),
 * with what hyparquet does not keep: the column orders and the statistics' bytes.
 */
function readStrictly(tail: ArrayBuffer): ThriftStruct {
  const bytes = new Uint8Array(tail);
  const length = new DataView(tail).getUint32(bytes.length - 8, true);
  return new CompactReader(bytes, bytes.length - 8 - length, bytes.length - 8).struct(FILE_METADATA);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function isUtf8(bytes: Uint8Array): boolean {
  try {
    utf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** A text column's min and max are text: DuckDB refuses a file whose statistics hold bytes that are not UTF-8. */
function checkTextStatistics(footer: ThriftStruct, leaves: readonly Leaf[]): void {
  for (const [index, group] of (footer.row_groups as ThriftStruct[]).entries()) {
    for (const [position, chunk] of (group.columns as ThriftStruct[]).entries()) {
      const statistics = (chunk.meta_data as ThriftStruct | undefined)?.statistics as ThriftStruct | undefined;
      if (!statistics || !leaves[position]?.text) continue;
      for (const value of Object.values(statistics)) {
        if (value instanceof Uint8Array && !isUtf8(value)) {
          throw new Error(
            `row group ${index}, column '${leaves[position].name}': its statistics hold bytes that are not UTF-8`,
          );
        }
      }
    }
  }
}

interface Leaf {
  readonly name: string;
  /** A top-level column: its chunk holds one value per row. */
  readonly flat: boolean;
  /** A string column (UTF8 or STRING): its statistics are text. */
  readonly text: boolean;
}

function checkSchemaElements(schema: readonly SchemaElement[]): void {
  if (!Array.isArray(schema) || schema.length === 0) throw new Error('the footer has no schema');
  for (const [position, element] of schema.entries()) {
    if (typeof element.name !== 'string' || (position > 0 && element.name === '')) {
      throw new Error(`schema element ${position} has no name`);
    }
    if (element.num_children === undefined && position > 0 && element.type === undefined) {
      throw new Error(`schema element ${position} ('${element.name}') has neither a type nor children`);
    }
  }
}

/**
 * For each leaf column in schema order, whether it is a top-level column (whose chunk holds one value per row)
 * and its name; walks the flattened tree, bounding its depth.
 */
function flatLeaves(schema: readonly SchemaElement[]): Leaf[] {
  const leaves: Leaf[] = [];
  let next = 1;
  const walk = (children: number, depth: number) => {
    if (depth > MAX_NESTING_DEPTH) throw new Error(`the schema nests deeper than ${MAX_NESTING_DEPTH} levels`);
    for (let i = 0; i < children; i++) {
      const element = schema[next++];
      if (!element) throw new Error('the schema claims more elements than the footer holds');
      const nested = element.num_children ?? 0;
      if (nested < 0) throw new Error(`schema element '${element.name}' claims ${nested} children`);
      if (nested) walk(nested, depth + 1);
      else
        leaves.push({
          name: element.name,
          flat: depth === 1 && element.repetition_type !== 'REPEATED',
          text: element.converted_type === 'UTF8' || element.logical_type?.type === 'STRING',
        });
    }
  };
  walk(schema[0].num_children ?? 0, 1);
  if (next !== schema.length) throw new Error(`the schema's root claims fewer elements than the footer holds`);
  return leaves;
}

function checkChunk(chunk: ColumnChunk, where: { index: number; rows: number; flat: Leaf; footerStart: number }): void {
  const meta = chunk.meta_data;
  // Encrypted chunks carry no readable metadata: file-checks.ts reports them as encrypted.
  if (!meta || chunk.crypto_metadata || chunk.encrypted_column_metadata) return;
  const at = `row group ${where.index}, column '${where.flat.name}'`;
  for (const field of ['type', 'codec', 'path_in_schema', 'num_values', 'total_compressed_size', 'data_page_offset']) {
    if (meta[field as keyof typeof meta] === undefined) throw new Error(`${at}: the chunk's ${field} is missing`);
  }
  const values = count(meta.num_values, `${at}: num_values`);
  if (where.flat.flat && values !== where.rows) {
    throw new Error(`${at} holds ${values} values, its row group ${where.rows} rows`);
  }
  const dataStart = count(meta.data_page_offset, `${at}: data_page_offset`);
  const start = meta.dictionary_page_offset
    ? count(meta.dictionary_page_offset, `${at}: dictionary_page_offset`)
    : dataStart;
  const end = start + count(meta.total_compressed_size, `${at}: total_compressed_size`);
  if (start < 4 || dataStart < start || end <= dataStart || end > where.footerStart) {
    throw new Error(`${at} points at bytes [${start}, ${end}) outside the file's data (4 to ${where.footerStart})`);
  }
}

/** A count or offset from the footer as a number, refusing what no file can hold. */
function count(value: bigint | number | undefined, what: string): number {
  const number = typeof value === 'bigint' ? Number(value) : value;
  if (number === undefined || !Number.isSafeInteger(number) || number < 0) {
    throw new Error(`${what} is ${String(value)}, which no parquet file can hold`);
  }
  return number;
}
