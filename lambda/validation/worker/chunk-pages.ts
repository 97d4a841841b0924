import type { ColumnChunk, FileMetaData } from 'hyparquet';
import { offsetIndexRange, readPageLocations } from './offset-index';
import { type HiddenLevels, walkLocatedPages, walkPages, type WalkedChunk } from './page-walk';
import type { ByteSpan, FetchBytes, GroupTask } from './protocol';

/** The fewest bytes a PLAIN dictionary entry of each physical type takes. */
const MIN_ENTRY_BYTES: Record<string, number> = { INT32: 4, FLOAT: 4, INT64: 8, DOUBLE: 8, INT96: 12, BYTE_ARRAY: 4 };

/** The span holding all of [start, end), if one does. */
export function spanHolding(spans: readonly ByteSpan[], start: number, end: number): ByteSpan | undefined {
  return spans.find((span) => start >= span.start && end <= span.start + span.bytes.byteLength);
}

/** A column chunk's pages as a unit reads them, walked before hyparquet decodes them. */
export interface ReadPages {
  /** The bytes the walk fetched, so that hyparquet reads the very bytes that were walked, not a second copy. */
  readonly spans: readonly ByteSpan[];
  /** Where the last byte hyparquet reads of the chunk ends: a page's bytes are named by their distance from it. */
  readonly readEnd: number;
  readonly hiddenLevels: HiddenLevels;
  readonly where: string;
}

/**
 * Walks the pages of `column` the unit reads: the whole chunk, when the unit is a whole row group or the chunk has no
 * offset index, else the pages of the slice's rows, where the offset index locates them. A slice is as strict as a
 * whole row group: only the pages outside its rows are left to the slices that read them.
 */
export async function walkUnitPages(
  task: GroupTask,
  metadata: FileMetaData,
  { name: column, groupStart }: { readonly name: string; readonly groupStart: number },
  fetchBytes: FetchBytes,
): Promise<ReadPages> {
  const group = metadata.row_groups[task.groupIndex];
  const chunk = group.columns.find((candidate) => candidate.meta_data?.path_in_schema[0] === column)!;
  const meta = chunk.meta_data!;
  const where = `row group ${task.groupIndex}, column '${column}'`;
  const element = metadata.schema.find((candidate) => candidate.name === column);
  const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
  const end = start + Number(meta.total_compressed_size);
  const walked: WalkedChunk = {
    where,
    numValues: Number(meta.num_values),
    codec: meta.codec,
    minEntryBytes: MIN_ENTRY_BYTES[meta.type] ?? 1,
    maxDefinitionLevel: element?.repetition_type === 'REQUIRED' ? 0 : 1,
    flat: meta.path_in_schema.length === 1 && element?.repetition_type !== 'REPEATED',
    physicalType: meta.type,
  };
  const fetched: ByteSpan[] = [];
  const bytesOf = async (from: number, to: number): Promise<Uint8Array> => {
    const span = spanHolding(task.spans, from, to);
    if (span) return new Uint8Array(span.bytes, from - span.start, to - from);
    const bytes = await fetchBytes(from, to);
    fetched.push({ start: from, bytes });
    return new Uint8Array(bytes);
  };
  if (!task.useOffsetIndex || !chunk.offset_index_offset || !chunk.offset_index_length) {
    const hiddenLevels = walkPages(await bytesOf(start, end), walked, task.maxPageBytes, start);
    return { spans: fetched, readEnd: end, hiddenLevels, where };
  }
  const slice = { chunk, walked, start, end, groupStart, groupRows: Number(group.num_rows) };
  return { ...(await walkSlice(task, slice, bytesOf)), spans: fetched, where };
}

interface SlicedChunk {
  readonly chunk: ColumnChunk;
  readonly walked: WalkedChunk;
  readonly start: number;
  readonly end: number;
  readonly groupStart: number;
  readonly groupRows: number;
}

async function walkSlice(
  task: GroupTask,
  { chunk, walked, start, end, groupStart, groupRows }: SlicedChunk,
  bytesOf: (from: number, to: number) => Promise<Uint8Array>,
): Promise<Pick<ReadPages, 'readEnd' | 'hiddenLevels'>> {
  const { where } = walked;
  const range = offsetIndexRange(where, chunk.offset_index_offset!, chunk.offset_index_length!, task.fileSize);
  const locations = readPageLocations(await bytesOf(range.start, range.end), { where, start, end, groupRows });
  // The pages hyparquet reads for the slice: those whose rows meet [rowStart, rowEnd) of the row group.
  const [selectStart, selectEnd] = [task.rowStart - groupStart, task.rowEnd - groupStart];
  const rowsEnd = (i: number) => locations[i + 1]?.firstRow ?? groupRows;
  const from = Math.max(
    0,
    locations.findIndex((_, i) => rowsEnd(i) > selectStart),
  );
  let to = from;
  while (to < locations.length && locations[to].firstRow < selectEnd) to++;
  const readEnd = locations[to - 1].offset + locations[to - 1].size;
  // One read when the slice starts at the first page (the dictionary before it), else the dictionary and the pages.
  const dictionaryEnd = locations[0].offset;
  let dictionary: Uint8Array;
  let pages: Uint8Array;
  if (from === 0) {
    const all = await bytesOf(start, readEnd);
    [dictionary, pages] = [all.subarray(0, dictionaryEnd - start), all.subarray(dictionaryEnd - start)];
  } else {
    const before = start < dictionaryEnd ? bytesOf(start, dictionaryEnd) : new Uint8Array(0);
    [dictionary, pages] = await Promise.all([before, bytesOf(locations[from].offset, readEnd)]);
  }
  const located = { dictionary, bytes: pages, locations, from, to, groupRows };
  return { readEnd, hiddenLevels: walkLocatedPages(located, { ...walked, start }, task.maxPageBytes) };
}
