import type { Compressors } from 'hyparquet';
import { DELTA_ENCODINGS, deltaProblem } from './delta-binary-packed';
import { PAGE_TYPES, type PageHeader } from './page-header';
import { strictCompressors } from './strict-codecs';

/** What the check knows of the page's column chunk. */
export interface BlockChunk {
  readonly codec: string;
  /** 1 for an optional top-level column, 0 for a required one. */
  readonly maxDefinitionLevel: number;
  /** The column's physical type (INT32, INT64, BYTE_ARRAY, …). */
  readonly physicalType: string;
}

const DELTA = new Set<number>(Object.values(DELTA_ENCODINGS));
/** A v1 page's definition levels open with their length, a 32-bit integer. */
const LEVELS_LENGTH_BYTES = 4;
/** Room for a few run headers written longer than they need be. */
const RUN_HEADER_SLACK = 16;

/**
 * A data page's bytes as DuckDB holds them before it decodes: the page decompressed into a block of
 * `uncompressed_page_size` + 1 bytes (its allocation has one byte of slack, read as whatever it holds: here 0), a v1
 * page's length-prefixed definition levels, then the values. Checks what DuckDB refuses there and hyparquet reads
 * past: levels that claim more bytes than the page has (hyparquet skips to where they claim to end, which for a page
 * of nulls is never read), and DELTA values that run past the page. Undefined when DuckDB reads the page; a page that
 * does not decompress is left to the decoder, which reports it.
 */
export function pageBlockProblem(
  stored: Uint8Array,
  header: PageHeader,
  chunk: BlockChunk,
  maxPageBytes: number,
): string | undefined {
  const delta = header.encoding !== undefined && DELTA.has(header.encoding);
  const v1Levels = header.type === PAGE_TYPES.data && chunk.maxDefinitionLevel > 0;
  if (!delta && !(v1Levels && (chunk.codec === 'UNCOMPRESSED' || mayBeNullsOnly(header)))) return undefined;
  const block = pageBlock(stored, header, chunk.codec, maxPageBytes);
  if (typeof block === 'string' || block === undefined) return block;
  let start = 0;
  let levels = { start: 0, end: 0 };
  if (header.type === PAGE_TYPES.data) {
    if (chunk.maxDefinitionLevel > 0) {
      const after = block.length - LEVELS_LENGTH_BYTES;
      if (after < 0) return `the page has ${block.length} bytes, too few for its definition levels' length`;
      const length = new DataView(block.buffer, block.byteOffset).getUint32(0, true);
      if (length > after)
        return `its definition levels claim ${length} bytes, the page has ${after} after their length`;
      levels = { start: LEVELS_LENGTH_BYTES, end: LEVELS_LENGTH_BYTES + length };
      start = levels.end;
    }
  } else {
    const def = header.definitionLevels!;
    start = def.start - header.dataStart + def.length;
    if (start > block.length) return `its levels claim ${start} bytes, the page holds ${block.length}`;
    levels = { start: start - def.length, end: start };
  }
  if (!delta) return undefined;
  const present = chunk.maxDefinitionLevel > 0 ? presentValues(block, levels, header.values) : header.values;
  if (present === undefined) return undefined;
  return deltaProblem({
    encoding: header.encoding!,
    block,
    start,
    present,
    pageValues: header.values,
    physicalType: chunk.physicalType,
  });
}

/**
 * Whether a v1 page is small enough to hold nothing but definition levels (at most two bytes a value: runs of one).
 * A larger page holds values, and hyparquet reads them from where the levels claim to end: past the page, it fails as
 * DuckDB does. Only a page of nulls, whose values hyparquet never reads, needs its levels' length checked here, which
 * spares decompressing every page twice.
 */
function mayBeNullsOnly(header: PageHeader): boolean {
  return header.uncompressedSize <= LEVELS_LENGTH_BYTES + 2 * header.values + RUN_HEADER_SLACK;
}

/** The page's block, a refusal of its v2 header's sizes, or undefined when it does not decompress. */
function pageBlock(
  stored: Uint8Array,
  header: PageHeader,
  codec: string,
  maxPageBytes: number,
): Uint8Array | string | undefined {
  const { uncompressedSize } = header;
  const block = new Uint8Array(uncompressedSize + 1);
  const codecs: Compressors = strictCompressors(maxPageBytes);
  const decompress = (bytes: Uint8Array, size: number) => {
    try {
      return codecs[codec as keyof Compressors]?.(bytes, size);
    } catch {
      return undefined;
    }
  };
  if (header.type === PAGE_TYPES.data) {
    const page = codec === 'UNCOMPRESSED' ? stored : decompress(stored, uncompressedSize);
    if (!page) return undefined;
    block.set(page.subarray(0, uncompressedSize));
    return block;
  }
  // A v2 page: its levels are never compressed; DuckDB reads a stored page's bytes into the block as they are.
  if (header.valuesStored || codec === 'UNCOMPRESSED') {
    block.set(stored.subarray(0, block.length));
    return block;
  }
  const def = header.definitionLevels!;
  const levels = def.start - header.dataStart + def.length;
  if (levels > uncompressedSize) return `its levels claim ${levels} bytes, uncompressed_page_size ${uncompressedSize}`;
  block.set(stored.subarray(0, levels));
  if (stored.length === levels) {
    return uncompressedSize > levels ? `its values claim ${uncompressedSize - levels} bytes and have none` : block;
  }
  const values = decompress(stored.subarray(levels), uncompressedSize - levels);
  if (!values) return undefined;
  block.set(values, levels);
  return block;
}

/**
 * How many of the page's values its definition levels (one bit each, a run-length/bit-packed hybrid) say are
 * present, or undefined when the levels end before the page's values (the page walk reports that).
 */
function presentValues(block: Uint8Array, levels: { start: number; end: number }, values: number): number | undefined {
  let at = levels.start;
  let seen = 0;
  let present = 0;
  while (seen < values) {
    let header = 0;
    for (let shift = 0; ; shift += 7) {
      if (at >= levels.end || shift > 28) return undefined;
      const byte = block[at++];
      header += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) break;
    }
    const count = Math.floor(header / 2);
    if (header % 2 === 0) {
      if (at >= levels.end) return undefined;
      const run = Math.min(count, values - seen);
      present += block[at++] === 1 ? run : 0;
      seen += run;
      continue;
    }
    for (let i = 0; i < count * 8 && seen < values; i++, seen++) {
      const position = at + (i >> 3);
      if (position >= levels.end) return undefined;
      present += (block[position] >> (i & 7)) & 1;
    }
    at += count;
  }
  return present;
}
