import { type IncomingMessage, type ServerResponse } from 'node:http';
import { LoopbackServer } from '../doubles/loopback-server';

/** One call as Statsig would have received it. */
export interface StatsigCall {
  readonly method: string;
  readonly path: string;
  readonly apiKey?: string;
  readonly contentType?: string;
  readonly body: { readonly timestamp: number; readonly type: string };
  readonly status: number;
}

/**
 * Stands in for Statsig's API on 127.0.0.1: records every call and answers 200, or the statuses queued with
 * `answerNext` (429, 500, 400...) one call each.
 */
export class StatsigApiStandIn {
  readonly calls: StatsigCall[] = [];
  private readonly queued: number[] = [];

  private readonly server = new LoopbackServer((req, res) => void this.handle(req, res));

  private constructor() {}

  static async start(): Promise<StatsigApiStandIn> {
    const standIn = new StatsigApiStandIn();
    await standIn.server.listen();
    return standIn;
  }

  get baseUrl(): string {
    return this.server.endpoint;
  }

  answerNext(...statuses: number[]): void {
    this.queued.push(...statuses);
  }

  clear(): void {
    this.calls.length = 0;
    this.queued.length = 0;
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const status = this.queued.shift() ?? 200;
    this.calls.push({
      method: req.method ?? '',
      path: req.url ?? '',
      apiKey: req.headers['statsig-api-key'] as string | undefined,
      contentType: req.headers['content-type'],
      body: JSON.parse(Buffer.concat(chunks).toString()),
      status,
    });
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(status === 200 ? { success: true } : { message: `answered ${status} by the stand-in` }));
  }
}
