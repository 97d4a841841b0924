import { OFFSET_INDEX } from './parquet-thrift';
import { CompactReader, type ThriftStruct } from './thrift-compact';

/** Where one data page of a column chunk is, and its first row in the row group, as the offset index says. */
export interface PageLocation {
  readonly offset: number;
  /** The page's bytes, header included. */
  readonly size: number;
  readonly firstRow: number;
}

/** What the offset index is checked against. */
export interface IndexedChunk {
  /** "row group 3, column 'user'": the start of every message. */
  readonly where: string;
  /** The chunk's bytes in the file, [start, end). */
  readonly start: number;
  readonly end: number;
  readonly groupRows: number;
}

/**
 * Where a chunk's offset index lies, refused unless inside the file: the footer's offset and length size the bytes
 * fetched for it.
 */
export function offsetIndexRange(
  where: string,
  offset: bigint | number,
  length: number,
  fileSize: number,
): { start: number; end: number } {
  const start = Number(offset);
  if (!(Number.isSafeInteger(start) && start >= 4 && length > 0 && start + length <= fileSize - 8)) {
    throw new Error(`${where}: its offset index at [${start}, ${start + length}) lies outside the file`);
  }
  return { start, end: start + length };
}

/**
 * Reads a chunk's offset index as a strict reader does and checks it before anything it sizes is allocated: its
 * pages follow each other inside the chunk without gaps, the first at row 0, each later page starting at a later row
 * inside the row group. hyparquet takes the index as it comes: a location outside the chunk would size its buffers,
 * and rows out of order would have it read the same pages again for rows they do not hold.
 */
export function readPageLocations(bytes: Uint8Array, chunk: IndexedChunk): PageLocation[] {
  const { where } = chunk;
  let index: ThriftStruct;
  try {
    index = new CompactReader(bytes, 0).struct(OFFSET_INDEX);
  } catch (error) {
    throw new Error(`${where}: its offset index cannot be read (${(error as Error).message})`, { cause: error });
  }
  const locations = (index.page_locations as ThriftStruct[]).map((location) => ({
    offset: location.offset as number,
    size: location.compressed_page_size as number,
    firstRow: location.first_row_index as number,
  }));
  if (locations.length === 0) throw new Error(`${where}: its offset index locates no pages`);
  locations.forEach((location, i) => {
    const fail = (problem: string): never => {
      throw new Error(`${where}, page ${i} of its offset index: ${problem}`);
    };
    const previous = locations[i - 1];
    const { offset, size, firstRow } = location;
    const expectedOffset = previous ? previous.offset + previous.size : undefined;
    if (
      !Number.isSafeInteger(offset) ||
      offset < chunk.start ||
      (expectedOffset !== undefined && offset !== expectedOffset)
    ) {
      fail(`offset ${offset} is not where the page should start (${expectedOffset ?? `from ${chunk.start}`})`);
    }
    if (size <= 0 || offset + size > chunk.end) {
      fail(`its ${size} bytes at ${offset} run past the column chunk's end (${chunk.end})`);
    }
    const expectedRow = previous ? `after row ${previous.firstRow}` : 'row 0';
    if (
      !Number.isSafeInteger(firstRow) ||
      firstRow >= chunk.groupRows ||
      (previous ? firstRow <= previous.firstRow : firstRow !== 0)
    ) {
      fail(`first_row_index ${firstRow} is not ${expectedRow} inside the row group's ${chunk.groupRows} rows`);
    }
  });
  return locations;
}
