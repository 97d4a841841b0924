/**
 * How a memory budget for all the validator's processes (spec §6: the CLI's 1 GiB, half the Lambda's memory) is
 * shared. The validating process keeps a fixed share (Node.js itself, the file-wide duplicate-key table, row groups in
 * flight); each decoder gets an equal part of the rest, of which half is its V8 heap and a quarter the decompressed
 * pages it may hold at once (a dictionary, a data page, their copies): ArrayBuffers live outside the heap, so the
 * heap limit alone does not bound them.
 */
export const DEFAULT_MEMORY_BUDGET_BYTES = 1024 * 1024 * 1024;
const MB = 1024 * 1024;
/** What the validating process keeps for itself. */
const CALLER_SHARE_BYTES = 256 * MB;
/** The least a decoder can work with: Node.js itself and one DuckDB-sized row group. */
const MIN_DECODER_BYTES = 192 * MB;
const PAGES_IN_HAND = 4;

/**
 * A page or value larger than the decoder's share of the budget lets it hold: the file may be well formed and only
 * too large for this budget, so its verdict is `file.too-large`, never `parquet.corrupt`.
 */
export class OverBudget extends Error {}

export interface DecoderShare {
  /** The decoder's `--max-old-space-size`, in MB. */
  readonly heapMb: number;
  /** The most one page may decompress to. */
  readonly maxPageBytes: number;
}

/** Each of `decoders` processes' share of `budgetBytes`. */
export function decoderShare(budgetBytes: number, decoders: number): DecoderShare {
  const share = Math.max(MIN_DECODER_BYTES, (budgetBytes - CALLER_SHARE_BYTES) / decoders);
  return { heapMb: Math.floor(share / 2 / MB), maxPageBytes: Math.floor(share / 4 / PAGES_IN_HAND) };
}

/** How many decoders a budget affords, at most `wanted`: each needs its least share. */
export function affordableDecoders(budgetBytes: number, wanted: number): number {
  return Math.max(1, Math.min(wanted, Math.floor((budgetBytes - CALLER_SHARE_BYTES) / MIN_DECODER_BYTES)));
}
