import { fork, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { DecodeFailure, DecoderUnavailable } from '../decoder';
import { Deadline } from './deadline';
import type { NodeScript } from './decoder-script';
import type {
  FetchBytes,
  FetchReply,
  FetchRequest,
  TaskMessage,
  TaskResult,
  WorkerReply,
  WorkerTask,
} from './protocol';

/** The last bytes a decoder wrote to stderr, kept to say why it died ("Fatal JavaScript invalid size error"). */
const STDERR_TAIL_CHARS = 400;

/**
 * V8's last words when a heap reaches its limit, written before the stack (so not always in the tail kept): the task
 * needed more memory than the decoder's share of the budget, which a well-formed large row group can.
 */
const OUT_OF_MEMORY = /Reached heap limit|heap out of memory/;

/** The decoder process died while working on a task: the task's bytes are the likely cause. */
export class DecoderCrash extends Error {
  constructor(
    message: string,
    /** It died of its heap limit rather than of a fault. */
    readonly outOfMemory: boolean,
  ) {
    super(message);
  }
}

interface Pending {
  readonly id: number;
  readonly deadline: Deadline;
  /** Serves the bytes the decoder asks for during the task. */
  readonly fetch?: FetchBytes;
  resolve(value: TaskResult<WorkerTask>): void;
  reject(error: Error): void;
}

/**
 * One decoder process, running one task at a time. One that passes its deadline is killed and one that crashes
 * dies: either way it is gone, and its owner starts another. While idle it is unref'd, so that an idle decoder never
 * keeps a CLI or a test alive.
 */
export class DecoderProcess {
  /** Settles when the decoder has loaded its code; rejects with DecoderUnavailable if it never does. */
  readonly ready: Promise<void>;
  private readonly child: ChildProcess;
  private pending?: Pending;
  private nextId = 0;
  private stderr = '';
  private outOfMemory = false;
  private started = false;
  private stopped = false;
  private failStart: (error: Error) => void = () => undefined;

  /** `heapMb`: how much heap it may use before the task is judged too big to decode (its memory budget's share). */
  constructor(script: NodeScript, heapMb: number) {
    // A bomb of a page can ask for gigabytes: the cap makes that a failed decode instead of a starved machine.
    this.child = fork(script.file, [], {
      execArgv: [...script.execArgv, `--max-old-space-size=${heapMb}`],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let markStarted: () => void = () => undefined;
    this.ready = new Promise<void>((resolve, reject) => {
      markStarted = resolve;
      this.failStart = reject;
    });
    // Waiting on `ready` is optional for a process that dies at once: keep that from being an unhandled rejection.
    this.ready.catch(() => undefined);
    this.child.stderr?.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      this.outOfMemory ||= OUT_OF_MEMORY.test(text);
      this.stderr = (this.stderr + text).slice(-STDERR_TAIL_CHARS);
    });
    // The stderr pipe is a socket: unref'd, it never keeps the process alive on its own.
    (this.child.stderr as Socket | null)?.unref();
    this.child.on('message', (reply: WorkerReply | FetchRequest | 'ready') => {
      if (reply === 'ready') {
        this.started = true;
        markStarted();
      } else if ('fetch' in reply) this.serveFetch(reply);
      else this.settle(reply);
    });
    this.child.on('error', (error) => this.died(error.message));
    this.child.on('exit', (code, signal) => {
      if (this.stopped && !this.pending && this.started) return;
      const last = this.stderr.trim().split('\n').filter(Boolean).slice(-2).join(' ').trim();
      this.died(`${signal ? `signal ${signal}` : `exit code ${code}`}${last ? `: ${last}` : ''}`);
    });
  }

  /** False once it has died, passed a deadline or been stopped: it takes no more tasks. */
  get alive(): boolean {
    return !this.stopped;
  }

  /** Runs a task under a deadline that starts once the decoder has loaded. */
  async run<T extends WorkerTask>(task: T, timeoutMs: number, fetch?: FetchBytes): Promise<TaskResult<T>> {
    await this.ready;
    this.hold(true);
    try {
      const value = await new Promise<TaskResult<WorkerTask>>((resolve, reject) => {
        const id = this.nextId++;
        const deadline = new Deadline(timeoutMs, () => {
          this.pending = undefined;
          void this.stop();
          reject(new DecodeFailure(`decoding took longer than ${timeoutMs} ms`, 'deadline'));
        });
        this.pending = {
          id,
          deadline,
          fetch,
          resolve: (result) => {
            deadline.clear();
            resolve(result);
          },
          reject: (error) => {
            deadline.clear();
            reject(error);
          },
        };
        this.child.send({ id, task } satisfies TaskMessage);
      });
      // The decoder answers each task with that task's result (row-group-worker.ts); IPC loses the pairing.
      return value as TaskResult<T>;
    } finally {
      if (this.alive) this.hold(false);
    }
  }

  /** Kills the process; resolves once it has exited. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    // An idle decoder is unref'd: without this, a caller awaiting stop() could see this process exit first.
    this.child.ref();
    this.child.kill('SIGKILL');
    await exited;
  }

  private settle(reply: WorkerReply): void {
    const pending = this.pending;
    if (pending?.id !== reply.id) return;
    this.pending = undefined;
    if (reply.ok) pending.resolve(reply.value);
    else pending.reject(new DecodeFailure(reply.error, reply.overBudget ? 'memory' : 'undecodable'));
  }

  /** Answers a decoder's request for bytes; a failed read fails the decode of that task, not the decoder. */
  private serveFetch({ fetch: { id, start, end } }: FetchRequest): void {
    const pending = this.pending;
    if (!pending) return;
    const answer = (fetched: FetchReply['fetched']) => {
      if (this.pending === pending) this.child.send({ fetched } satisfies FetchReply);
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

  private died(why: string): void {
    const pending = this.pending;
    this.pending = undefined;
    void this.stop();
    if (!this.started) this.failStart(new DecoderUnavailable(`the decoder process did not start: ${why}`));
    pending?.reject(new DecoderCrash(why, this.outOfMemory));
  }

  private hold(on: boolean): void {
    if (on) {
      this.child.ref();
      this.child.channel?.ref();
    } else {
      this.child.unref();
      this.child.channel?.unref();
    }
  }
}
