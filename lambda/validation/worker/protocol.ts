import type { FindingBatch } from '../findings';
import type { GroupCheckPlan } from '../group-check';
import type { ColumnDescriptor } from '../parquet-kind';

/** Bytes of the file fetched by the main thread: the worker never does I/O, so its time is pure decoding. */
export interface ByteSpan {
  readonly start: number;
  readonly bytes: ArrayBuffer;
}

export interface OpenTask {
  readonly type: 'open';
  /** The file's tail: at least the footer and the last 8 bytes. */
  readonly tail: ArrayBuffer;
}

export interface GroupTask {
  readonly type: 'group';
  readonly tail: ArrayBuffer;
  readonly fileSize: number;
  readonly groupIndex: number;
  readonly rowStart: number;
  readonly rowEnd: number;
  readonly spans: readonly ByteSpan[];
  readonly plan: GroupCheckPlan;
  readonly maxListed: number;
}

export type WorkerTask = OpenTask | GroupTask;

export interface ChunkLayout {
  readonly column: string;
  readonly codec: string;
  readonly start: number;
  readonly end: number;
}

export interface RowGroupLayout {
  readonly rows: number;
  readonly chunks: readonly ChunkLayout[];
}

/** What the main thread needs to know of a file's footer, as plain data. */
export interface FileLayout {
  readonly rows: number;
  readonly columns: readonly ColumnDescriptor[];
  readonly rowGroups: readonly RowGroupLayout[];
  readonly encryptedColumns: readonly string[];
}

export interface GroupResult {
  readonly batch: FindingBatch;
  readonly partials: unknown[];
}

export type WorkerReply = { readonly id: number } & ({ readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string });
