import { parquetMetadata, parquetRead, parquetSchema, type FileMetaData } from 'hyparquet';
import { FindingSink } from '../findings';
import { checkColumnValues, checkRowRules, rowRuleColumns } from '../group-check';
import { declaredType, kindOf } from '../parquet-kind';
import type { ColumnValues } from '../row-rules';
import { decodeUtf8 } from '../utf8';
import { checkFooter } from './footer-checks';
import { spanHolding, walkUnitPages } from './chunk-pages';
import { walkDecompressedLevels } from './page-walk';
import { assembleColumn, type Piece } from './value-coverage';
import { strictCompressors } from './strict-codecs';
import type { FetchBytes, FileLayout, GroupResult, GroupTask, OpenTask } from './protocol';

/** Values as the checks want them: epoch milliseconds and day numbers, not a Date object per row. */
const PARSERS = {
  timestampFromMilliseconds: (millis: bigint) => Number(millis),
  timestampFromMicroseconds: (micros: bigint) => Number(micros / 1000n),
  timestampFromNanoseconds: (nanos: bigint) => Number(nanos / 1_000_000n),
  dateFromDays: (days: number) => days,
  stringFromBytes: decodeUtf8,
  jsonFromBytes: decodeUtf8,
};

/** Where each row group's rows start in the file, per footer. */
const groupStarts = new WeakMap<FileMetaData, number[]>();

function groupStartsOf(metadata: FileMetaData): number[] {
  let starts = groupStarts.get(metadata);
  if (!starts) {
    let rows = 0;
    starts = metadata.row_groups.map((group) => (rows += Number(group.num_rows)) - Number(group.num_rows));
    groupStarts.set(metadata, starts);
  }
  return starts;
}

/** Files validated at once through one pool: a decoder keeps the footers of the latest few. */
const CACHED_FOOTERS = 4;
const footers = new Map<string, FileMetaData>();

function remember(fileKey: string, tail: ArrayBuffer): FileMetaData {
  const metadata = parquetMetadata(tail);
  footers.set(fileKey, metadata);
  for (const key of footers.keys()) if (footers.size > CACHED_FOOTERS) footers.delete(key);
  return metadata;
}

export function openFile(task: OpenTask): FileLayout {
  const metadata = remember(task.fileKey, task.tail);
  checkFooter(task.tail, metadata, task.footerStart);
  const tree = parquetSchema(metadata);
  const columns = tree.children.map((child) => ({
    name: child.element.name,
    kind: child.children.length ? ('nested' as const) : kindOf(child.element),
    declared: declaredType(child.element, child.children.length > 0),
  }));
  const encryptedColumns = new Set<string>();
  const rowGroups = metadata.row_groups.map((group) => ({
    rows: Number(group.num_rows),
    chunks: group.columns.map((chunk) => {
      const meta = chunk.meta_data;
      const column = meta?.path_in_schema[0] ?? '?';
      if (chunk.crypto_metadata || chunk.encrypted_column_metadata || !meta) encryptedColumns.add(column);
      // `||` as hyparquet's planner has it: some writers store a dictionary offset of 0 meaning "none".
      const start = Number(meta?.dictionary_page_offset || meta?.data_page_offset || -1);
      return {
        column,
        codec: meta?.codec ?? 'UNKNOWN',
        start,
        end: start + Number(meta?.total_compressed_size ?? 0),
        offsetIndex: Boolean(chunk.offset_index_offset && chunk.offset_index_length),
      };
    }),
  }));
  return { rows: Number(metadata.num_rows), columns, rowGroups, encryptedColumns: [...encryptedColumns] };
}

/**
 * Decodes the planned columns of a row group, or of a slice of its rows, and checks them. One column is decoded and
 * checked at a time, in the plan's order (the order findings are listed in), and let go unless a row rule reads it:
 * what a decoder holds is one column's values, not the row group's, and its heap grows with that.
 */
export async function decodeGroup(task: GroupTask, fetchBytes: FetchBytes): Promise<GroupResult> {
  const metadata = footers.get(task.fileKey) ?? remember(task.fileKey, await fetchBytes(task.tailStart, task.fileSize));
  const group = metadata.row_groups[task.groupIndex];
  const groupStart = groupStartsOf(metadata)[task.groupIndex];
  // hyparquet plans a read over every row group of the footer it is given: given the unit's alone, each unit of a
  // footer of 30,000 row groups plans one, not 30,000.
  const alone = { ...metadata, num_rows: group.num_rows, row_groups: [group] };
  const [rowStart, rowEnd] = [task.rowStart - groupStart, task.rowEnd - groupStart];
  const rows = task.rowEnd - task.rowStart;
  const sink = new FindingSink(task.maxListed);
  const keep = rowRuleColumns(task.plan);
  const kept = new Map<string, ColumnValues>();
  for (const column of task.plan.columns) {
    const pieces: Piece[] = [];
    const pages = await walkUnitPages(task, metadata, { name: column.name, groupStart }, fetchBytes);
    const spans = [...task.spans, ...pages.spans];
    await parquetRead({
      file: {
        byteLength: task.fileSize,
        slice(start: number, end: number): ArrayBuffer | Promise<ArrayBuffer> {
          const span = spanHolding(spans, start, end);
          return span ? span.bytes.slice(start - span.start, end - span.start) : fetchBytes(start, end);
        },
      },
      metadata: alone,
      columns: [column.name],
      rowStart,
      rowEnd,
      compressors: strictCompressors(task.maxPageBytes, (input, output) => {
        // hyparquet's page buffers end where its read of the chunk ends: the page's place in the file follows.
        const hidden = pages.hiddenLevels.get(pages.readEnd - input.buffer.byteLength + input.byteOffset);
        if (hidden) walkDecompressedLevels(pages.where, hidden, output);
      }),
      parsers: PARSERS,
      useOffsetIndex: task.useOffsetIndex,
      onChunk: (chunk) => pieces.push({ offset: chunk.rowStart - rowStart, data: chunk.columnData }),
    });
    const values = assembleColumn(column.name, pieces, rows, task.rowStart);
    checkColumnValues(task.plan, column, values, task.rowStart, sink);
    if (keep.has(column.name)) kept.set(column.name, values);
  }
  const partials = checkRowRules(task.plan, { rowOffset: task.rowStart, rows, columns: kept }, sink);
  return { batch: sink.batch(), partials };
}
