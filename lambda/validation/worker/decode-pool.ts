import { availableParallelism } from 'node:os';
import { DecodeFailure, type Decoder } from '../decoder';
import { DecoderCrash, DecoderProcess } from './decoder-process';
import { affordableDecoders, DEFAULT_MEMORY_BUDGET_BYTES, decoderShare, type DecoderShare } from './memory-budget';
import type { NodeScript } from './decoder-script';
import type { FetchBytes, TaskResult, WorkerTask } from './protocol';

export interface DecodePoolOptions {
  /** The decoder process's entry: `COMPILED_DECODER_SCRIPT` from compiled code, the TypeScript source in tests. */
  readonly script: NodeScript;
  /**
   * How many decoder processes at most, and never more than the memory budget affords. The Lambda's count is the
   * wire's `decodersFor`, from the CPU time its memory buys.
   * @default all cores but one, at most 4: the CLI's, on a machine that is also doing other work
   */
  readonly size?: number;
  /**
   * What all the validator's processes together may hold in memory, the calling one included: the decoders' heaps
   * and the pages they decompress are capped against it (spec §6).
   * @default 1 GiB, the CLI's budget; the Lambda passes half its memory
   */
  readonly memoryBudgetBytes?: number;
}

/**
 * A few long-lived decoder processes, started when first needed and replaced when one dies, so that the file gets a
 * verdict whatever its bytes do to a decoder. Its creator closes it.
 */
export class DecodePool implements Decoder {
  readonly size: number;
  readonly maxPageBytes: number;
  private readonly share: DecoderShare;
  private readonly script: NodeScript;
  private readonly processes: DecoderProcess[] = [];
  private readonly busy = new Set<DecoderProcess>();
  private readonly waiting: (() => void)[] = [];

  constructor(options: DecodePoolOptions) {
    this.script = options.script;
    const budget = options.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET_BYTES;
    this.size = affordableDecoders(budget, options.size ?? Math.max(1, Math.min(availableParallelism() - 1, 4)));
    this.share = decoderShare(budget, this.size);
    this.maxPageBytes = this.share.maxPageBytes;
  }

  /**
   * A decoder that crashes on a task is replaced and the task tried once more, so a crash that has nothing to do
   * with the file (the machine killed a process) is no verdict; two crashes are. One that ran out of heap is not tried
   * again: that is the task's size.
   */
  async run<T extends WorkerTask>(task: T, timeoutMs: number, fetch?: FetchBytes): Promise<TaskResult<T>> {
    try {
      return await this.runOnce(task, timeoutMs, fetch);
    } catch (error) {
      if (!(error instanceof DecoderCrash)) throw error;
      // Running out of heap is the task's size, not chance: a second try would die the same way, later.
      if (error.outOfMemory)
        throw new DecodeFailure(`the decoder ran out of memory on it (${error.message})`, 'memory');
      try {
        return await this.runOnce(task, timeoutMs, fetch);
      } catch (again) {
        if (!(again instanceof DecoderCrash)) throw again;
        throw new DecodeFailure(
          `the decoder crashed on it twice (${again.message})`,
          again.outOfMemory ? 'memory' : 'undecodable',
        );
      }
    }
  }

  /** Stops every decoder; the pool starts new ones if used again. */
  async close(): Promise<void> {
    await Promise.all(this.processes.splice(0).map((decoder) => decoder.stop()));
  }

  private async runOnce<T extends WorkerTask>(task: T, timeoutMs: number, fetch?: FetchBytes): Promise<TaskResult<T>> {
    const decoder = await this.acquire();
    try {
      return await decoder.run(task, timeoutMs, fetch);
    } finally {
      this.busy.delete(decoder);
      this.waiting.shift()?.();
    }
  }

  private async acquire(): Promise<DecoderProcess> {
    for (;;) {
      this.forgetGone();
      let free = this.processes.find((decoder) => !this.busy.has(decoder));
      if (!free && this.processes.length < this.size) {
        free = new DecoderProcess(this.script, this.share.heapMb);
        this.processes.push(free);
      }
      if (free) {
        this.busy.add(free);
        return free;
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  private forgetGone(): void {
    for (let i = this.processes.length - 1; i >= 0; i--) {
      if (!this.processes[i].alive) this.processes.splice(i, 1);
    }
  }
}
