import { fork, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { availableParallelism } from 'node:os';
import { siblingScript, type NodeScript } from '../../../test/doubles/sibling-script';
import type { FetchBytes } from './decode-group';
import type { FetchReply, FetchRequest, WorkerReply, WorkerTask } from './protocol';

/** The file could not be decoded: the decoder threw, ran past its deadline, crashed on it, or needed too much memory. */
export class DecodeFailure extends Error {
  constructor(
    message: string,
    public readonly timedOut: boolean,
  ) {
    super(message);
  }
}

/**
 * The decoder itself is broken (its process would not start): no verdict on the file, so the caller must retry
 * rather than quarantine a file that may be fine.
 */
export class DecoderUnavailable extends Error {}

/** How much heap one decode process may use before the row group is judged too big to decode. */
const DECODER_HEAP_MB = 1024;
/** The last bytes a decoder wrote to stderr, kept to say why it died ("Fatal JavaScript invalid size error"). */
const STDERR_TAIL_CHARS = 400;

interface Pending {
  readonly id: number;
  readonly deadline: Deadline;
  /** Serves the bytes the decoder asks for during the task. */
  readonly fetch?: FetchBytes;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** A task's time limit, which stands still while the decoder waits for bytes: only decoding counts. */
class Deadline {
  private timer?: NodeJS.Timeout;
  private startedAt = 0;
  private waits = 0;

  constructor(
    private remainingMs: number,
    private readonly expire: () => void,
  ) {
    this.run();
  }

  pause(): void {
    if (this.waits++ > 0) return;
    clearTimeout(this.timer);
    this.remainingMs -= Date.now() - this.startedAt;
  }

  resume(): void {
    if (--this.waits === 0) this.run();
  }

  clear(): void {
    clearTimeout(this.timer);
  }

  private run(): void {
    this.startedAt = Date.now();
    this.timer = setTimeout(this.expire, Math.max(0, this.remainingMs));
  }
}

/** A decoder runs one task at a time, so its pending task is all it needs to remember. */
interface Slot {
  readonly child: ChildProcess;
  /** Settles when the decoder has loaded its code; rejects if it never does. */
  readonly ready: Promise<void>;
  busy: boolean;
  pending?: Pending;
  stderr: string;
}

/** The decoder process died while working on a task: the task's bytes are the likely cause. */
class DecoderCrash extends Error {}

/**
 * A few long-lived decoder processes. hyparquet decodes synchronously, and a corrupt page can make it loop forever
 * or grow an array until V8 aborts the whole process, which no deadline or heap cap inside a process contains.
 * So decoding runs in child processes: one that passes its deadline is killed, one that crashes is replaced, and
 * the file gets a verdict either way. Idle processes are unref'd, so an idle pool never keeps a CLI or a test alive.
 */
export class DecodePool {
  private readonly slots: Slot[] = [];
  private readonly waiting: (() => void)[] = [];
  private nextId = 0;

  constructor(
    // One core stays with the calling process, which fetches bytes and folds results; the benchmark measured no
    // gain from a second decoder on two cores, only a second decoder's memory.
    public readonly size: number = Math.max(1, Math.min(availableParallelism() - 1, 4)),
    private readonly script: NodeScript = siblingScript(__filename, 'row-group-worker'),
  ) {}

  /**
   * Runs a task under a deadline; `fetch` serves bytes the task was not sent. A decoder that crashes on a task is
   * replaced and the task tried once more, so a crash that has nothing to do with the file (the machine killed a
   * process) is no verdict; two crashes are.
   */
  async run<T>(task: WorkerTask, timeoutMs: number, fetch?: FetchBytes): Promise<T> {
    try {
      return await this.runOnce<T>(task, timeoutMs, fetch);
    } catch (error) {
      if (!(error instanceof DecoderCrash)) throw error;
      try {
        return await this.runOnce<T>(task, timeoutMs, fetch);
      } catch (again) {
        if (!(again instanceof DecoderCrash)) throw again;
        throw new DecodeFailure(`the decoder crashed on it twice (${again.message})`, false);
      }
    }
  }

  /** Stops every decoder; the pool starts new ones if used again. */
  async close(): Promise<void> {
    const slots = this.slots.splice(0);
    await Promise.all(slots.map((slot) => this.stop(slot)));
  }

  private async runOnce<T>(task: WorkerTask, timeoutMs: number, fetch?: FetchBytes): Promise<T> {
    const slot = await this.acquire();
    try {
      await slot.ready;
      const id = this.nextId++;
      this.reference(slot, true);
      return await new Promise<T>((resolve, reject) => {
        const deadline = new Deadline(timeoutMs, () => {
          slot.pending = undefined;
          this.discard(slot);
          reject(new DecodeFailure(`decoding took longer than ${timeoutMs} ms`, true));
        });
        slot.pending = {
          id,
          deadline,
          fetch,
          resolve: (value) => {
            deadline.clear();
            resolve(value as T);
          },
          reject: (error) => {
            deadline.clear();
            reject(error);
          },
        };
        slot.child.send({ id, task });
      });
    } finally {
      this.release(slot);
    }
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
    if (this.slots.includes(slot)) this.reference(slot, false);
    this.waiting.shift()?.();
  }

  private reference(slot: Slot, on: boolean): void {
    if (on) {
      slot.child.ref();
      slot.child.channel?.ref();
    } else {
      slot.child.unref();
      slot.child.channel?.unref();
    }
  }

  private spawn(): Slot {
    const { file, execArgv } = this.script;
    // A bomb of a page can ask for gigabytes: the cap makes that a failed decode instead of a starved machine.
    const child = fork(file, [], {
      execArgv: [...execArgv, `--max-old-space-size=${DECODER_HEAP_MB}`],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let started: () => void = () => undefined;
    let failed: (error: Error) => void = () => undefined;
    const ready = new Promise<void>((resolve, reject) => {
      started = resolve;
      failed = reject;
    });
    // Waiting on `ready` is optional for a slot that dies at once: keep that from being an unhandled rejection.
    ready.catch(() => undefined);
    const slot: Slot = { child, ready, busy: true, stderr: '' };
    child.stderr?.on('data', (chunk: Buffer) => {
      slot.stderr = (slot.stderr + chunk.toString('utf8')).slice(-STDERR_TAIL_CHARS);
    });
    // The stderr pipe is a socket: unref'd, it never keeps the process alive on its own.
    (child.stderr as Socket | null)?.unref();
    let isReady = false;
    child.on('message', (reply: WorkerReply | FetchRequest | 'ready') => {
      if (reply === 'ready') {
        isReady = true;
        started();
        return;
      }
      if ('fetch' in reply) {
        this.serveFetch(slot, reply);
        return;
      }
      const pending = slot.pending;
      if (pending?.id !== reply.id) return;
      slot.pending = undefined;
      if (reply.ok) pending.resolve(reply.value);
      else pending.reject(new DecodeFailure(reply.error, false));
    });
    const died = (why: string) => {
      const pending = slot.pending;
      slot.pending = undefined;
      this.discard(slot);
      if (!isReady) failed(new DecoderUnavailable(`the decoder process did not start: ${why}`));
      pending?.reject(new DecoderCrash(why));
    };
    child.on('error', (error) => died(error.message));
    child.on('exit', (code, signal) => {
      if (!this.slots.includes(slot) && !slot.pending && isReady) return;
      const last = slot.stderr.trim().split('\n').filter(Boolean).slice(-2).join(' ').trim();
      died(`${signal ? `signal ${signal}` : `exit code ${code}`}${last ? `: ${last}` : ''}`);
    });
    return slot;
  }

  /** Answers a decoder's request for bytes; a failed read fails the decode of that task, not the decoder. */
  private serveFetch(slot: Slot, { fetch: { id, start, end } }: FetchRequest): void {
    const pending = slot.pending;
    if (!pending) return;
    const answer = (fetched: FetchReply['fetched']) => {
      if (slot.pending === pending) slot.child.send({ fetched } satisfies FetchReply);
    };
    if (!pending.fetch) {
      answer({ id, error: `bytes [${start}, ${end}) were not sent with the task` });
      return;
    }
    pending.deadline.pause();
    pending
      .fetch(start, end)
      .then(
        (bytes) => answer({ id, bytes }),
        (error: Error) => answer({ id, error: error.message }),
      )
      .finally(() => pending.deadline.resume());
  }

  private discard(slot: Slot): void {
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    void this.stop(slot);
  }

  private async stop(slot: Slot): Promise<void> {
    if (slot.child.exitCode !== null || slot.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => slot.child.once('exit', () => resolve()));
    // An idle decoder is unref'd: without this, a caller awaiting close() could see the process exit first.
    slot.child.ref();
    slot.child.kill('SIGKILL');
    await exited;
  }
}

let shared: DecodePool | undefined;

export function sharedDecodePool(): DecodePool {
  shared ??= new DecodePool();
  return shared;
}

/** Stops the decoder processes (tests, and a CLI that wants to exit at once). */
export async function shutdownValidator(): Promise<void> {
  const pool = shared;
  shared = undefined;
  await pool?.close();
}
