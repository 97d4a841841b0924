import { OverBudget } from './memory-budget';
import { pageBlockProblem } from './page-block';
import { DICTIONARY_ENCODINGS, PAGE_TYPES, type PageHeader, readPageHeader } from './page-header';

/** What the walk knows of the chunk from the footer. */
export interface WalkedChunk {
  /** "row group 3, column 'user'": the start of every message. */
  readonly where: string;
  readonly numValues: number;
  readonly codec: string;
  /** The fewest bytes one dictionary entry takes in a PLAIN dictionary page. */
  readonly minEntryBytes: number;
  /** 1 for an optional top-level column, 0 for a required one: the bit width of its definition levels. */
  readonly maxDefinitionLevel: number;
  /** The column's physical type: how wide its DELTA_BINARY_PACKED values may be. */
  readonly physicalType: string;
}

const RLE = 3;

/** A v1 page's definition levels are in the clear only when the chunk is uncompressed: a length, then the runs. */
function uncompressedV1Levels(bytes: Uint8Array, header: PageHeader, codec: string) {
  const rle = header.definitionLevelEncoding === RLE;
  if (codec !== 'UNCOMPRESSED' || header.type !== PAGE_TYPES.data || !rle || header.compressedSize < 4)
    return undefined;
  const at = header.dataStart;
  const length = (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16)) + bytes[at + 3] * 2 ** 24;
  return { start: at + 4, length: Math.min(length, header.compressedSize - 4) };
}

/**
 * Walks a page's definition levels (a run-length/bit-packed hybrid, never compressed in v2): they must cover
 * the page's values inside their bytes, and no run may repeat a level past the values left. hyparquet writes every
 * repetition of a run into its level array, so a run claiming 2^31 levels grew the array until the decoder died.
 */
function walkLevels(bytes: Uint8Array, levels: { start: number; length: number }, values: number): string | undefined {
  const end = levels.start + levels.length;
  let at = levels.start;
  let seen = 0;
  while (seen < values) {
    let header = 0;
    for (let shift = 0; ; shift += 7) {
      if (at >= end || shift > 28) return `its definition levels end before its ${values} values`;
      const byte = bytes[at++];
      header += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) break;
    }
    const count = Math.floor(header / 2);
    if (header % 2 === 1) {
      seen += count * 8;
      at += count;
    } else {
      if (count > values - seen)
        return `a run of ${count} definition levels, more than its ${values - seen} values left`;
      seen += count;
      at += 1;
    }
  }
  return at <= end ? undefined : `its definition levels run past their ${levels.length} bytes`;
}

/**
 * Walks a column chunk's page headers, as a strict reader does before it decodes: every page lies inside the chunk
 * and the pages fill it, no page claims more than a page may hold, an uncompressed page's sizes agree, a
 * dictionary-encoded page has a dictionary before it whose entries fit its bytes, and the pages' values add up to
 * the chunk's. hyparquet reads until it has the rows it wants, so a chunk that lies about its pages would reach the
 * checks as nulls or as a row group without end.
 */
export function walkPages(bytes: Uint8Array, chunk: WalkedChunk, maxPageBytes: number): void {
  let at = 0;
  let page = 0;
  let values = 0;
  let dictionaryEntries: number | undefined;
  const fail = (problem: string, Problem: new (message: string) => Error = Error): never => {
    throw new Problem(`${chunk.where}, page ${page}: ${problem}`);
  };
  while (at < bytes.length) {
    let header;
    try {
      header = readPageHeader(bytes, at);
    } catch (error) {
      return fail((error as Error).message);
    }
    const { type, compressedSize, uncompressedSize } = header;
    if (compressedSize < 0 || header.dataStart + compressedSize > bytes.length) {
      fail(
        `compressed_page_size ${compressedSize} runs past the column chunk's end (${bytes.length - header.dataStart} bytes left)`,
      );
    }
    if (uncompressedSize < 0) fail(`uncompressed_page_size ${uncompressedSize} is negative`);
    if (uncompressedSize > maxPageBytes) {
      fail(
        `uncompressed_page_size ${uncompressedSize} is more than the memory budget lets a page hold (${maxPageBytes} bytes)`,
        OverBudget,
      );
    }
    if (chunk.codec === 'UNCOMPRESSED' && type !== PAGE_TYPES.dataV2 && compressedSize !== uncompressedSize) {
      fail(`an uncompressed page's sizes disagree (${compressedSize} and ${uncompressedSize})`);
    }
    if (header.values < 0) fail(`the page claims ${header.values} values`);
    if (type === PAGE_TYPES.dictionary) {
      if (dictionaryEntries !== undefined) fail('a second dictionary page');
      if (header.values * chunk.minEntryBytes > uncompressedSize) {
        fail(`the dictionary claims ${header.values} entries, more than its ${uncompressedSize} bytes hold`);
      }
      dictionaryEntries = header.values;
    } else if (type === PAGE_TYPES.data || type === PAGE_TYPES.dataV2) {
      if (header.encoding !== undefined && DICTIONARY_ENCODINGS.has(header.encoding)) {
        if (dictionaryEntries === undefined)
          fail('the page is dictionary-encoded but the chunk has no dictionary page');
      }
      values += header.values;
      const levels = header.definitionLevels ?? uncompressedV1Levels(bytes, header, chunk.codec);
      if (levels && chunk.maxDefinitionLevel > 0) {
        const problem = walkLevels(bytes, levels, header.values);
        if (problem) fail(problem);
      }
      const blockProblem = pageBlockProblem(
        bytes.subarray(header.dataStart, header.dataStart + compressedSize),
        header,
        chunk,
        maxPageBytes,
      );
      if (blockProblem) fail(blockProblem);
    }
    at = header.dataStart + compressedSize;
    page += 1;
  }
  if (values !== chunk.numValues) {
    throw new Error(`${chunk.where}: its pages hold ${values} values, the footer says ${chunk.numValues}`);
  }
}
