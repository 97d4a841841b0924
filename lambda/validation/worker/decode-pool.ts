import { availableParallelism } from 'node:os';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { WorkerReply, WorkerTask } from './protocol';

/** The file could not be decoded: the decoder threw, ran past its deadline, or needed more memory than allowed. */
export class DecodeFailure extends Error {
  constructor(message: string, public readonly timedOut: boolean) {
    super(message);
  }
}

/**
 * The decoder itself is broken (its thread would not start, or died for a reason other than the file): no verdict
 * on the file, so the caller must retry rather than quarantine a file that may be fine.
 */
export class DecoderUnavailable extends Error {}

/** How much heap one decode thread may use before the row group is judged too big to decode. */
const DECODER_HEAP_MB = 1024;

/**
 * From compiled JavaScript (the package, the Lambda bundle) the worker is the sibling `.js` file. From TypeScript
 * sources (jest, ts-node) it is the `.ts` file, which Node needs tsx to load. Node 20 does not apply `--import`
 * loader hooks to a worker's entry module, and a bare `tsx` resolves from the cwd: preload tsx's CommonJS hook by
 * its resolved path instead.
 */
export interface WorkerScript {
  readonly file: string;
  readonly execArgv: string[];
}

function workerScript(): WorkerScript {
  const extension = extname(__filename);
  return {
    file: join(__dirname, `row-group-worker${extension}`),
    execArgv: extension === '.ts' ? ['--require', require.resolve('tsx/cjs')] : [],
  };
}

interface Pending {
  readonly id: number;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** A thread runs one task at a time, so its pending task is all it needs to remember. */
interface Slot {
  readonly worker: Worker;
  busy: boolean;
  pending?: Pending;
}

/**
 * A few long-lived decode threads. Idle threads are unref'd, so an idle pool never keeps a CLI or a test alive.
 * A thread that times out is terminated and replaced on demand.
 */
export class DecodePool {
  private readonly slots: Slot[] = [];
  private readonly waiting: (() => void)[] = [];
  private nextId = 0;

  constructor(
    public readonly size: number = Math.max(1, Math.min(availableParallelism(), 4)),
    private readonly script: WorkerScript = workerScript(),
  ) {}

  async run<T>(task: WorkerTask, transfer: ArrayBuffer[], timeoutMs: number): Promise<T> {
    const slot = await this.acquire();
    const id = this.nextId++;
    slot.worker.ref();
    try {
      return await new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          slot.pending = undefined;
          this.discard(slot);
          reject(new DecodeFailure(`decoding took longer than ${timeoutMs} ms`, true));
        }, timeoutMs);
        slot.pending = {
          id,
          resolve: (value) => {
            clearTimeout(timer);
            resolve(value as T);
          },
          reject: (error) => {
            clearTimeout(timer);
            reject(error);
          },
        };
        slot.worker.postMessage({ id, task }, transfer);
      });
    } finally {
      this.release(slot);
    }
  }

  /** Stops every thread; the pool starts new ones if used again. */
  async close(): Promise<void> {
    const workers = this.slots.splice(0).map((slot) => slot.worker);
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  private async acquire(): Promise<Slot> {
    for (;;) {
      const idle = this.slots.find((slot) => !slot.busy);
      if (idle) {
        idle.busy = true;
        return idle;
      }
      if (this.slots.length < this.size) {
        const slot = this.spawn();
        this.slots.push(slot);
        return slot;
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  private release(slot: Slot): void {
    slot.busy = false;
    if (this.slots.includes(slot)) slot.worker.unref();
    this.waiting.shift()?.();
  }

  private spawn(): Slot {
    const { file, execArgv } = this.script;
    // A bomb of a page can ask for gigabytes: the cap makes that a failed decode instead of a dead process.
    const worker = new Worker(file, { execArgv, resourceLimits: { maxOldGenerationSizeMb: DECODER_HEAP_MB } });
    const slot: Slot = { worker, busy: true };
    worker.on('message', (reply: WorkerReply) => {
      const pending = slot.pending;
      if (pending?.id !== reply.id) return;
      slot.pending = undefined;
      if (reply.ok) pending.resolve(reply.value);
      else pending.reject(new DecodeFailure(reply.error, false));
    });
    const fail = (error: Error & { code?: string }) => {
      const pending = slot.pending;
      slot.pending = undefined;
      this.discard(slot);
      pending?.reject(
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new DecodeFailure(`decoding needs more than ${DECODER_HEAP_MB} MB`, false)
          : new DecoderUnavailable(`the decode thread failed: ${error.message}`),
      );
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (this.slots.includes(slot)) fail(new Error(`exit code ${code}`));
    });
    return slot;
  }

  private discard(slot: Slot): void {
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    void slot.worker.terminate();
  }
}

let shared: DecodePool | undefined;

export function sharedDecodePool(): DecodePool {
  shared ??= new DecodePool();
  return shared;
}

/** Stops the decode threads (tests, and a CLI that wants to exit at once). */
export async function shutdownValidator(): Promise<void> {
  const pool = shared;
  shared = undefined;
  await pool?.close();
}
