import {
  byteSourceFromBytes,
  COMPILED_DECODER_SCRIPT,
  DecodePool,
  validateParquet,
  type Dataset,
} from '../lambda/validation';

/** What `npm run fuzz` sends this process: one mutant to judge. */
export interface FuzzRequest {
  readonly id: number;
  readonly file: string;
  readonly dataset: Dataset;
  readonly day: string;
  readonly nowMs: number;
  readonly bytes: Uint8Array;
}

/** What it answers: the verdict's numbers, or the error the validator threw past its API. */
export interface FuzzAnswer {
  readonly id: number;
  readonly ms: number;
  readonly valid?: boolean;
  readonly rows?: number;
  readonly rowGroups?: number;
  readonly bytes?: number;
  readonly bytesRead?: number;
  readonly rules?: readonly string[];
  readonly firstError?: string;
  readonly thrown?: string;
}

/**
 * Child process of `npm run fuzz`: the validator as the CLI runs it (its decoder pool and defaults), judging the
 * mutants it is sent one at a time, so that the parent can sample this process tree's memory and time each verdict.
 */
const decoder = new DecodePool({ script: COMPILED_DECODER_SCRIPT });

process.on('message', (request: FuzzRequest) => {
  const started = performance.now();
  validateParquet(
    byteSourceFromBytes(request.bytes),
    { file: request.file, dataset: request.dataset, day: request.day, nowMs: request.nowMs },
    decoder,
  ).then(
    (report) =>
      process.send!({
        id: request.id,
        ms: performance.now() - started,
        valid: report.valid,
        rows: report.rows,
        rowGroups: report.rowGroups,
        bytes: report.bytes,
        bytesRead: report.bytesRead,
        rules: report.counts.filter((count) => count.severity === 'error').map((count) => count.rule),
        firstError: report.errors[0]?.message.slice(0, 300),
      } satisfies FuzzAnswer),
    (error: Error) =>
      process.send!({ id: request.id, ms: performance.now() - started, thrown: error.message } satisfies FuzzAnswer),
  );
});
process.send!('ready');
