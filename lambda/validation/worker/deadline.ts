/** A task's time limit, which stands still while the decoder waits for bytes: only decoding counts. */
export class Deadline {
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
