import type { GuardedByteSource } from './byte-source';
import { corrupt } from './file-problem';
import type { Footer } from './footer';
import type { ByteSpan, ChunkLayout, FileLayout, RowGroupLayout } from './worker/protocol';

/** Rows per slice of a large row group: about DuckDB's default row group, whose memory the benchmark measures. */
export const SLICE_ROWS = 131_072;
/** A compressed chunk this small is about one page, the most a writer puts in a chunk without an offset index. */
const SMALL_CHUNK_BYTES = 1024 * 1024;
/** Column chunks closer than this are fetched in one request (hyparquet's planner joins them the same way). */
const SPAN_GAP_BYTES = 8 * 1024;

/** A piece of work for a decoder: a whole row group, or a slice of a large one. */
export interface Unit {
  readonly group: number;
  readonly rowStart: number;
  readonly rowEnd: number;
  /** Read through the chunks' offset indexes, only the pages of these rows; else the whole chunks, fetched ahead. */
  readonly sliced: boolean;
}

interface Span {
  readonly start: number;
  end: number;
}

/**
 * The row groups as units of work, lazily (a corrupt footer can claim any number of rows). A row group much larger
 * than a slice is read a slice at a time, so that memory follows the slice, when each wanted chunk has an offset
 * index or is small: writers leave the index out of a chunk of one page (a constant or all-null column), and such a
 * chunk is cheap to decode again for every slice. A large chunk without an offset index can only be decoded whole.
 */
export function* unitsOf(layout: FileLayout, wanted: ReadonlySet<string>): Generator<Unit> {
  let start = 0;
  for (const [group, { rows, chunks }] of layout.rowGroups.entries()) {
    const sliceable = (chunk: ChunkLayout) => chunk.offsetIndex || chunk.end - chunk.start <= SMALL_CHUNK_BYTES;
    const sliced = rows > 2 * SLICE_ROWS && chunks.filter((chunk) => wanted.has(chunk.column)).every(sliceable);
    for (let from = 0; from < rows; from += sliced ? SLICE_ROWS : rows) {
      yield {
        group,
        rowStart: start + from,
        rowEnd: start + (sliced ? Math.min(rows, from + SLICE_ROWS) : rows),
        sliced,
      };
    }
    start += rows;
  }
}

/** The byte ranges of a row group's wanted column chunks, joined where they nearly touch. */
export function planSpans(
  group: RowGroupLayout,
  wanted: ReadonlySet<string>,
  footerStart: number,
  index: number,
): readonly Span[] {
  const ranges = group.chunks
    .filter((chunk) => wanted.has(chunk.column))
    .map((chunk) => {
      if (!(chunk.start >= 4 && chunk.end > chunk.start && chunk.end <= footerStart)) {
        throw corrupt(
          `row group ${index}, column '${chunk.column}' points at bytes [${chunk.start}, ${chunk.end}) outside the file's data`,
        );
      }
      return { start: chunk.start, end: chunk.end };
    })
    .sort((a, b) => a.start - b.start);
  const spans: Span[] = [];
  for (const range of ranges) {
    const last = spans[spans.length - 1];
    if (last && range.start <= last.end + SPAN_GAP_BYTES) last.end = Math.max(last.end, range.end);
    else spans.push({ ...range });
  }
  return spans;
}

/** Fetches the spans, taking what lies in the already-read tail from there: small files are read once. */
export async function fetchSpans(
  bytes: GuardedByteSource,
  footer: Footer,
  spans: readonly Span[],
): Promise<ByteSpan[]> {
  const fetchOne = async ({ start, end }: Span): Promise<ByteSpan> => {
    if (end <= footer.tailStart) return { start, bytes: await bytes.slice(start, end) };
    const inTail = footer.tail.slice(Math.max(start, footer.tailStart) - footer.tailStart, end - footer.tailStart);
    if (start >= footer.tailStart) return { start, bytes: inTail };
    const head = new Uint8Array(await bytes.slice(start, footer.tailStart));
    const joined = new Uint8Array(end - start);
    joined.set(head, 0);
    joined.set(new Uint8Array(inTail), head.length);
    return { start, bytes: joined.buffer };
  };
  return Promise.all(spans.map(fetchOne));
}
