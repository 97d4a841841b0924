import type { FetchBytes, TaskResult, WorkerTask } from './worker/protocol';

/**
 * What the validation core decodes with. hyparquet decodes synchronously, and a corrupt page can make it loop or
 * abort its process, so decoding runs in processes of their own under a deadline (`worker/decode-pool.ts`). Whoever
 * composes the validator (the Lambda handler, the CLI, the local run, the tests) creates the decoder, hands it to the
 * core, and closes it: the core never starts a process itself.
 */
export interface Decoder {
  /** How many tasks it decodes at once: the validator keeps twice as many in flight, so that none waits for bytes. */
  readonly size: number;
  /** The most one page may decompress to: its share of the memory budget. */
  readonly maxPageBytes: number;
  /**
   * Decodes one task within `timeoutMs` of decoding; `fetch` serves the bytes the task was not sent. Rejects with
   * `DecodeFailure` when the file cannot be decoded, `DecoderUnavailable` when nothing can be.
   */
  run<T extends WorkerTask>(task: T, timeoutMs: number, fetch?: FetchBytes): Promise<TaskResult<T>>;
}

/**
 * How much of the caller's time is left for this file, in milliseconds (the Lambda's remaining time less what it
 * needs to announce the verdict). Past it, a well-formed file gets the too-large verdict instead of none.
 */
export type TimeLeft = () => number;

/**
 * Why a decode failed: its bytes would not decode (the decoder threw or crashed on them), it ran past its deadline,
 * or it needed more memory than the decoder's share of the budget (twice: a crash that is the machine's is retried).
 */
export type DecodeFailureKind = 'undecodable' | 'deadline' | 'memory';

/** The file could not be decoded, for the reason `kind` gives. */
export class DecodeFailure extends Error {
  constructor(
    message: string,
    public readonly kind: DecodeFailureKind,
  ) {
    super(message);
  }
}

/**
 * The decoder itself is broken (its process would not start): no verdict on the file, so the caller must retry
 * rather than quarantine a file that may be fine.
 */
export class DecoderUnavailable extends Error {}
