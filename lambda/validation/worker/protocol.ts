import type { FindingBatch } from '../findings';
import type { GroupCheckPlan } from '../group-check';
import type { ColumnDescriptor } from '../parquet-kind';
import type { RowRulePartial } from '../row-rules';

/** The messages between the validating process and a decoder process (`row-group-worker.ts`), as plain data. */

/** Fetches bytes of the file that were not sent ahead. */
export type FetchBytes = (start: number, end: number) => Promise<ArrayBuffer>;

/** Bytes of the file the validating process fetched ahead, so that the decoder's time is decoding. */
export interface ByteSpan {
  readonly start: number;
  readonly bytes: ArrayBuffer;
}

export interface OpenTask {
  readonly type: 'open';
  /** Names this validation of the file: a decoder keeps the footer it parsed under it. */
  readonly fileKey: string;
  /** The file's tail: at least the footer and the last 8 bytes. */
  readonly tail: ArrayBuffer;
  /** Where the footer starts: every column chunk must end before it. */
  readonly footerStart: number;
}

export interface GroupTask {
  readonly type: 'group';
  /**
   * The footer travels once, with the open task, not with each of thousands of row groups: a decoder that has not
   * parsed it under this key fetches the tail, `[tailStart, fileSize)`, which the validating process holds.
   */
  readonly fileKey: string;
  readonly tailStart: number;
  readonly fileSize: number;
  readonly groupIndex: number;
  /** Absolute rows to check: the whole row group, or a slice of a large one. */
  readonly rowStart: number;
  readonly rowEnd: number;
  /** Bytes fetched ahead; anything else the decoder needs it asks the validating process for. */
  readonly spans: readonly ByteSpan[];
  /** Read only the pages of the slice, located through the column chunks' offset indexes. */
  readonly useOffsetIndex: boolean;
  readonly plan: GroupCheckPlan;
  readonly maxListed: number;
  /** The most one page may decompress to: the decoder's share of the memory budget, a few pages held at once. */
  readonly maxPageBytes: number;
}

export type WorkerTask = OpenTask | GroupTask;

export interface ChunkLayout {
  readonly column: string;
  readonly codec: string;
  readonly start: number;
  readonly end: number;
  /** Whether the chunk has an offset index, so that a slice of its rows can be read alone. */
  readonly offsetIndex: boolean;
}

export interface RowGroupLayout {
  readonly rows: number;
  readonly chunks: readonly ChunkLayout[];
}

/** What the validating process needs to know of a file's footer, as plain data. */
export interface FileLayout {
  readonly rows: number;
  readonly columns: readonly ColumnDescriptor[];
  readonly rowGroups: readonly RowGroupLayout[];
  readonly encryptedColumns: readonly string[];
}

export interface GroupResult {
  readonly batch: FindingBatch;
  /** Each planned row rule's partial result, indexed like the plan's `rowRules`. */
  readonly partials: readonly RowRulePartial[];
}

/** What a decoder answers to each kind of task. */
export type TaskResult<T extends WorkerTask> = T extends OpenTask ? FileLayout : GroupResult;

export interface TaskMessage {
  readonly id: number;
  readonly task: WorkerTask;
}

export type WorkerReply = { readonly id: number } & (
  | { readonly ok: true; readonly value: TaskResult<WorkerTask> }
  /** `overBudget`: the task needed more memory than the decoder's share of the budget, not other bytes. */
  | { readonly ok: false; readonly error: string; readonly overBudget: boolean }
);

/** The decoder asks for bytes it was not given: `[start, end)` of the file of task `id`. */
export interface FetchRequest {
  readonly fetch: { readonly id: number; readonly start: number; readonly end: number };
}

export interface FetchReply {
  readonly fetched: { readonly id: number } & ({ readonly bytes: ArrayBuffer } | { readonly error: string });
}
