import { parquetMetadata, parquetRead, parquetSchema, type FileMetaData } from 'hyparquet';
import { FindingSink } from '../findings';
import { checkColumnValues, checkRowRules, rowRuleColumns } from '../group-check';
import { declaredType, kindOf } from '../parquet-kind';
import type { ColumnValues } from '../row-rules';
import { decodeUtf8 } from '../utf8';
import { checkFooter } from './footer-checks';
import { walkPages } from './page-walk';
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
  const file = {
    byteLength: task.fileSize,
    slice(start: number, end: number): ArrayBuffer | Promise<ArrayBuffer> {
      const span = task.spans.find(
        (candidate) => start >= candidate.start && end <= candidate.start + candidate.bytes.byteLength,
      );
      return span ? span.bytes.slice(start - span.start, end - span.start) : fetchBytes(start, end);
    },
  };
  walkChunks(task, metadata);
  const rows = task.rowEnd - task.rowStart;
  const sink = new FindingSink(task.maxListed);
  const keep = rowRuleColumns(task.plan);
  const kept = new Map<string, ColumnValues>();
  for (const column of task.plan.columns) {
    const pieces: Piece[] = [];
    await parquetRead({
      file,
      metadata,
      columns: [column.name],
      rowStart: task.rowStart,
      rowEnd: task.rowEnd,
      compressors: strictCompressors(task.maxPageBytes),
      parsers: PARSERS,
      useOffsetIndex: task.useOffsetIndex,
      onChunk: ({ columnData, rowStart }) => pieces.push({ offset: rowStart - task.rowStart, data: columnData }),
    });
    const values = assembleColumn(column.name, pieces, rows, task.rowStart);
    checkColumnValues(task.plan, column, values, task.rowStart, sink);
    if (keep.has(column.name)) kept.set(column.name, values);
  }
  const partials = checkRowRules(task.plan, { rowOffset: task.rowStart, rows, columns: kept }, sink);
  return { batch: sink.batch(), partials };
}

/** The fewest bytes a PLAIN dictionary entry of each physical type takes. */
const MIN_ENTRY_BYTES: Record<string, number> = { INT32: 4, FLOAT: 4, INT64: 8, DOUBLE: 8, INT96: 12, BYTE_ARRAY: 4 };

/** Walks the page headers of the unit's chunks that were sent whole (sliced units read pages through the index). */
function walkChunks(task: GroupTask, metadata: FileMetaData): void {
  const wanted = new Set(task.plan.columns.map((column) => column.name));
  for (const chunk of metadata.row_groups[task.groupIndex].columns) {
    const meta = chunk.meta_data;
    if (!meta || !wanted.has(meta.path_in_schema[0])) continue;
    const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
    const end = start + Number(meta.total_compressed_size);
    const span = task.spans.find(
      (candidate) => start >= candidate.start && end <= candidate.start + candidate.bytes.byteLength,
    );
    if (!span) continue;
    const bytes = new Uint8Array(span.bytes, start - span.start, end - start);
    const where = `row group ${task.groupIndex}, column '${meta.path_in_schema[0]}'`;
    const element = metadata.schema.find((candidate) => candidate.name === meta.path_in_schema[0]);
    walkPages(
      bytes,
      {
        where,
        numValues: Number(meta.num_values),
        codec: meta.codec,
        minEntryBytes: MIN_ENTRY_BYTES[meta.type] ?? 1,
        maxDefinitionLevel: element?.repetition_type === 'REQUIRED' ? 0 : 1,
        physicalType: meta.type,
      },
      task.maxPageBytes,
    );
  }
}
