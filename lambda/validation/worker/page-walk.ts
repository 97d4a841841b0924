import { mostDecompressed } from './codec-bounds';
import { OverBudget } from './memory-budget';
import type { PageLocation } from './offset-index';
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
  /** A top-level column that is not repeated: each data page holds one value per row. */
  readonly flat: boolean;
  /** The column's physical type: how wide its DELTA_BINARY_PACKED values may be. */
  readonly physicalType: string;
}

/**
 * The v1 data pages of a compressed chunk whose definition levels the walk could not see, by where their compressed
 * data starts in the file: their levels are walked when the decoder decompresses them (`walkDecompressedLevels`).
 */
export type HiddenLevels = Map<number, { readonly page: number; readonly values: number }>;

const RLE = 3;

/** A v1 page's definition levels, at the start of its (decompressed) data: a 4-byte length, then the runs. */
function v1Levels(bytes: Uint8Array, at: number, size: number) {
  if (size < 4) return { start: at, length: 0 };
  const length = (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16)) + bytes[at + 3] * 2 ** 24;
  return { start: at + 4, length: Math.min(length, size - 4) };
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

/** What a walk has seen of one column chunk: its dictionary, its values, the pages whose levels it could not see. */
class ChunkWalk {
  private dictionaryEntries: number | undefined;
  values = 0;
  readonly hiddenLevels: HiddenLevels = new Map();

  constructor(
    readonly chunk: WalkedChunk,
    private readonly maxPageBytes: number,
  ) {}

  fail(page: number, problem: string, Problem: new (message: string) => Error = Error): never {
    throw new Problem(`${this.chunk.where}, page ${page}: ${problem}`);
  }

  /**
   * Checks the page whose header is at `at` of `bytes` and which must end by `end` (`bound` says what ends there);
   * `origin` is where `bytes` start in the file. Returns its header.
   */
  page(
    bytes: Uint8Array,
    at: number,
    { end, bound, page, origin }: { end: number; bound: string; page: number; origin: number },
  ): PageHeader {
    const { chunk } = this;
    let header;
    try {
      header = readPageHeader(bytes.subarray(0, end), at);
    } catch (error) {
      return this.fail(page, (error as Error).message);
    }
    const { type, compressedSize, uncompressedSize } = header;
    if (compressedSize < 0 || header.dataStart + compressedSize > end) {
      this.fail(
        page,
        `compressed_page_size ${compressedSize} runs past ${bound} (${end - header.dataStart} bytes left)`,
      );
    }
    if (uncompressedSize < 0) this.fail(page, `uncompressed_page_size ${uncompressedSize} is negative`);
    if (uncompressedSize > mostDecompressed(chunk.codec, compressedSize)) {
      this.fail(
        page,
        `its ${compressedSize} bytes of ${chunk.codec} cannot decompress to the ${uncompressedSize} bytes its header claims`,
      );
    }
    if (uncompressedSize > this.maxPageBytes) {
      this.fail(
        page,
        `uncompressed_page_size ${uncompressedSize} is more than the memory budget lets a page hold (${this.maxPageBytes} bytes)`,
        OverBudget,
      );
    }
    if (chunk.codec === 'UNCOMPRESSED' && type !== PAGE_TYPES.dataV2 && compressedSize !== uncompressedSize) {
      this.fail(page, `an uncompressed page's sizes disagree (${compressedSize} and ${uncompressedSize})`);
    }
    if (header.values < 0) this.fail(page, `the page claims ${header.values} values`);
    if (type === PAGE_TYPES.dictionary) {
      if (this.dictionaryEntries !== undefined) this.fail(page, 'a second dictionary page');
      if (header.values * chunk.minEntryBytes > uncompressedSize) {
        this.fail(page, `the dictionary claims ${header.values} entries, more than its ${uncompressedSize} bytes hold`);
      }
      this.dictionaryEntries = header.values;
    } else if (type === PAGE_TYPES.data || type === PAGE_TYPES.dataV2) {
      if (header.encoding !== undefined && DICTIONARY_ENCODINGS.has(header.encoding)) {
        if (this.dictionaryEntries === undefined)
          this.fail(page, 'the page is dictionary-encoded but the chunk has no dictionary page');
      }
      this.values += header.values;
      this.levels(bytes, header, page, origin);
      const stored = bytes.subarray(header.dataStart, header.dataStart + compressedSize);
      const problem = pageBlockProblem(stored, header, chunk, this.maxPageBytes);
      if (problem) this.fail(page, problem);
    }
    return header;
  }

  /** Walks the page's definition levels where they are in the clear; notes a compressed v1 page's for later. */
  private levels(bytes: Uint8Array, header: PageHeader, page: number, origin: number): void {
    if (this.chunk.maxDefinitionLevel === 0) return;
    if (header.definitionLevels) {
      const problem = walkLevels(bytes, header.definitionLevels, header.values);
      if (problem) this.fail(page, problem);
    } else if (header.type === PAGE_TYPES.data && header.definitionLevelEncoding === RLE) {
      if (this.chunk.codec !== 'UNCOMPRESSED') {
        this.hiddenLevels.set(origin + header.dataStart, { page, values: header.values });
        return;
      }
      const problem = walkLevels(bytes, v1Levels(bytes, header.dataStart, header.compressedSize), header.values);
      if (problem) this.fail(page, problem);
    }
  }
}

/**
 * Walks a column chunk's page headers, as a strict reader does before it decodes: every page lies inside the chunk
 * and the pages fill it, no page claims more than a page may hold, an uncompressed page's sizes agree, a
 * dictionary-encoded page has a dictionary before it whose entries fit its bytes, and the pages' values add up to
 * the chunk's. hyparquet reads until it has the rows it wants, so a chunk that lies about its pages would reach the
 * checks as nulls or as a row group without end. `origin` is where the chunk starts in the file.
 */
export function walkPages(bytes: Uint8Array, chunk: WalkedChunk, maxPageBytes: number, origin: number): HiddenLevels {
  const walk = new ChunkWalk(chunk, maxPageBytes);
  let at = 0;
  for (let page = 0; at < bytes.length; page++) {
    const header = walk.page(bytes, at, { end: bytes.length, bound: "the column chunk's end", page, origin });
    at = header.dataStart + header.compressedSize;
  }
  if (walk.values !== chunk.numValues) {
    throw new Error(`${chunk.where}: its pages hold ${walk.values} values, the footer says ${chunk.numValues}`);
  }
  return walk.hiddenLevels;
}

/** Pages located through a chunk's offset index (`offset-index.ts`), as a slice of a row group reads them. */
export interface LocatedPages {
  /** The chunk's bytes before its first indexed page: empty, or its dictionary page. */
  readonly dictionary: Uint8Array;
  /** The bytes of the pages `from` to `to` (exclusive), starting at the first's offset. */
  readonly bytes: Uint8Array;
  readonly locations: readonly PageLocation[];
  readonly from: number;
  readonly to: number;
  /** The row group's rows: the last page's rows run to its end. */
  readonly groupRows: number;
}

/**
 * Walks the pages a slice reads, each where the offset index locates it: the bytes before the first indexed page are
 * the dictionary page or nothing, each location's header is a data page whose sizes fill the location exactly, and
 * (for a flat column) it holds as many values as the index gives it rows. hyparquet reads the located bytes as
 * pages, so an index that lied would have it read a page from the middle of another.
 */
export function walkLocatedPages(
  located: LocatedPages,
  chunk: WalkedChunk & { readonly start: number },
  maxPageBytes: number,
): HiddenLevels {
  const walk = new ChunkWalk(chunk, maxPageBytes);
  const { dictionary, bytes, locations, from, to, groupRows } = located;
  const first = dictionary.length ? 1 : 0;
  if (dictionary.length) {
    const bound = "the offset index's first page";
    const header = walk.page(dictionary, 0, { end: dictionary.length, bound, page: 0, origin: chunk.start });
    if (header.type !== PAGE_TYPES.dictionary || header.dataStart + header.compressedSize !== dictionary.length) {
      walk.fail(0, `the ${dictionary.length} bytes before the offset index's first page are not one dictionary page`);
    }
  }
  const origin = locations[from].offset;
  for (let i = from; i < to; i++) {
    const { offset, size, firstRow } = locations[i];
    const page = first + i;
    const end = offset - origin + size;
    const header = walk.page(bytes, offset - origin, { end, bound: 'the end the offset index gives it', page, origin });
    if (header.type !== PAGE_TYPES.data && header.type !== PAGE_TYPES.dataV2) {
      walk.fail(page, `the offset index locates a page of type ${header.type} at ${offset}, not a data page`);
    }
    if (header.dataStart + header.compressedSize !== end) {
      walk.fail(
        page,
        `the offset index gives it ${size} bytes, its header ${header.dataStart + header.compressedSize - (offset - origin)}`,
      );
    }
    const rows = (locations[i + 1]?.firstRow ?? groupRows) - firstRow;
    if (chunk.flat && header.values !== rows) {
      walk.fail(page, `it holds ${header.values} values, the offset index gives it ${rows} rows`);
    }
  }
  return walk.hiddenLevels;
}

/**
 * Walks a compressed v1 page's definition levels in its decompressed bytes, as soon as the decoder has them and
 * before hyparquet reads them: the one place they are in the clear without decompressing the page twice.
 */
export function walkDecompressedLevels(
  where: string,
  hidden: { readonly page: number; readonly values: number },
  page: Uint8Array,
): void {
  const problem = walkLevels(page, v1Levels(page, 0, page.length), hidden.values);
  if (problem) throw new Error(`${where}, page ${hidden.page}: ${problem}`);
}
