import { type IncomingMessage, request as httpRequest, type ServerResponse } from 'node:http';
import { LoopbackServer } from '../doubles/loopback-server';

/**
 * An HTTP proxy in front of the S3 server that injects the failures real S3 produces (throttling, 500s, connection
 * resets, a body cut short) and enforces the preconditions s3rver ignores: `If-Match` on GET, HEAD and DELETE, and
 * `x-amz-copy-source-if-match` on CopyObject, `If-Match` and `If-None-Match: *` on PUT (S3's conditional writes),
 * answered as S3 does (412 PreconditionFailed, 404 for a missing object). Writes to one key are serialised, and reads
 * of it never overlap a write, so a precondition check and the write it guards are atomic and a read never sees a
 * half-written object, as in S3 (s3rver writes files in place): two racing compare-and-swaps cannot both win.
 * It forwards requests unchanged, Host header included, but for one s3rver quirk: s3rver decodes
 * `x-amz-copy-source` with `decodeURI`, which leaves `%2B` and `%3D` encoded, so copying a key holding `+` or `=`
 * fails there where S3 succeeds; the proxy re-encodes that header in the form s3rver decodes right.
 */
export type Fault = 'slowDown' | 'internalError' | 'reset' | 'resetMidBody';

export interface ProxiedRequest {
  readonly method: string;
  readonly bucket: string;
  readonly key: string;
  readonly query: string;
  readonly range?: string;
  readonly ifMatch?: string;
  readonly ifNoneMatch?: string;
  readonly copySourceIfMatch?: string;
  readonly status?: number;
  readonly fault?: Fault;
}

export interface Matcher {
  readonly method?: string;
  /** The decoded object key, exactly or by pattern. */
  readonly key?: string | RegExp;
  /** Only ranged reads (GET with a Range header). */
  readonly ranged?: boolean;
}

interface Rule extends Matcher {
  remaining: number;
  readonly fault?: Fault;
  /** Runs before the request is forwarded: the world changing between a client's calls. */
  readonly before?: () => Promise<void>;
}

export class FaultProxy {
  readonly requests: ProxiedRequest[] = [];
  /** The most requests that were in flight at once since the last reset. */
  maxInFlight = 0;
  private inFlight = 0;
  private readonly rules: Rule[] = [];
  /** Per key: the tail of its queue of writes, and the reads in flight. */
  private readonly keyLocks = new Map<string, { tail: Promise<void>; readonly reads: Set<Promise<unknown>> }>();

  private readonly server = new LoopbackServer((req, res) => {
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    res.once('close', () => (this.inFlight -= 1));
    void this.handle(req, res).catch((error) => res.destroy(error));
  });

  private constructor(private readonly upstreamPort: number) {}

  static async start(upstreamPort: number): Promise<FaultProxy> {
    const proxy = new FaultProxy(upstreamPort);
    await proxy.server.listen();
    return proxy;
  }

  get endpoint(): string {
    return this.server.endpoint;
  }

  /** Fails the next `times` matching requests with `fault`. */
  fail(fault: Fault, match: Matcher, times = 1): void {
    this.rules.push({ ...match, fault, remaining: times });
  }

  /** Runs `action` just before the next matching request reaches the server. */
  before(match: Matcher, action: () => Promise<void>): void {
    this.rules.push({ ...match, before: action, remaining: 1 });
  }

  reset(): void {
    this.rules.length = 0;
    this.requests.length = 0;
    this.maxInFlight = 0;
  }

  /** Requests seen, optionally only those matching. */
  seen(match: Matcher = {}): ProxiedRequest[] {
    return this.requests.filter((entry) => matches(match, entry));
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readAll(req);
    const url = new URL(req.url ?? '/', 'http://proxy');
    const [bucket = '', ...keyParts] = url.pathname.slice(1).split('/');
    const entry: Mutable<ProxiedRequest> = {
      method: req.method ?? 'GET',
      bucket,
      key: decodeURIComponent(keyParts.join('/')),
      query: url.search,
      range: header(req, 'range'),
      ifMatch: header(req, 'if-match'),
      ifNoneMatch: header(req, 'if-none-match'),
      copySourceIfMatch: header(req, 'x-amz-copy-source-if-match'),
    };
    this.requests.push(entry);

    const rule = this.takeRule(entry);
    await rule?.before?.();
    if (rule?.fault === 'reset') {
      entry.fault = 'reset';
      req.socket.destroy();
      return;
    }
    if (rule?.fault === 'slowDown' || rule?.fault === 'internalError') {
      entry.fault = rule.fault;
      entry.status = rule.fault === 'slowDown' ? 503 : 500;
      return sendError(res, entry.status, rule.fault === 'slowDown' ? 'SlowDown' : 'InternalError', entry.method);
    }

    const upstream = await this.exclusive(entry, async () => {
      const refusal = await this.checkPreconditions(req, entry);
      return refusal ?? this.forward(req, body);
    });
    if ('code' in upstream) {
      entry.status = upstream.status;
      return sendError(res, upstream.status, upstream.code, entry.method);
    }
    entry.status = upstream.status;
    res.writeHead(upstream.status, upstream.headers);
    if (rule?.fault === 'resetMidBody' && upstream.body.length > 1) {
      entry.fault = 'resetMidBody';
      res.write(upstream.body.subarray(0, upstream.body.length >> 1), () => res.destroy());
      return;
    }
    res.end(upstream.body);
  }

  /** A write to a key waits for the writes and reads before it; a read waits for the writes before it. */
  private async exclusive<T>(entry: ProxiedRequest, task: () => Promise<T>): Promise<T> {
    const id = `${entry.bucket}/${entry.key}`;
    const lock = this.keyLocks.get(id) ?? { tail: Promise.resolve(), reads: new Set<Promise<unknown>>() };
    this.keyLocks.set(id, lock);
    if (entry.method !== 'PUT' && entry.method !== 'DELETE') {
      await lock.tail;
      const read = task();
      lock.reads.add(read);
      try {
        return await read;
      } finally {
        lock.reads.delete(read);
      }
    }
    const before = [lock.tail, ...lock.reads];
    let release!: () => void;
    lock.tail = new Promise<void>((resolve) => (release = resolve));
    await Promise.allSettled(before);
    try {
      return await task();
    } finally {
      release();
    }
  }

  private takeRule(entry: ProxiedRequest): Rule | undefined {
    const rule = this.rules.find((candidate) => candidate.remaining > 0 && matches(candidate, entry));
    if (rule) rule.remaining -= 1;
    return rule;
  }

  private async checkPreconditions(
    req: IncomingMessage,
    entry: ProxiedRequest,
  ): Promise<{ status: number; code: string } | undefined> {
    const copySource = header(req, 'x-amz-copy-source');
    if (copySource && entry.copySourceIfMatch) {
      const sourcePath = `/${decodeURIComponent(copySource.replace(/^\//, '').split('?')[0])}`;
      const etag = await this.currentEtag(sourcePath);
      if (etag === undefined) return { status: 404, code: 'NoSuchKey' };
      if (etag !== entry.copySourceIfMatch) return { status: 412, code: 'PreconditionFailed' };
      return undefined;
    }
    if (entry.method === 'PUT' && entry.ifNoneMatch === '*') {
      return (await this.currentEtag(`/${entry.bucket}/${entry.key}`)) === undefined
        ? undefined
        : { status: 412, code: 'PreconditionFailed' };
    }
    if (!entry.ifMatch) return undefined;
    const etag = await this.currentEtag(`/${entry.bucket}/${entry.key}`);
    if (etag === undefined) return { status: 404, code: 'NoSuchKey' };
    if (etag !== entry.ifMatch) return { status: 412, code: 'PreconditionFailed' };
    return undefined;
  }

  private async currentEtag(path: string): Promise<string | undefined> {
    const encoded = path.split('/').map(encodeURIComponent).join('/');
    const response = await this.send({ method: 'HEAD', path: encoded, headers: {} }, Buffer.alloc(0));
    return response.status === 200 ? String(response.headers.etag) : undefined;
  }

  private forward(req: IncomingMessage, body: Buffer) {
    const headers = { ...req.headers };
    const copySource = header(req, 'x-amz-copy-source');
    if (copySource) headers['x-amz-copy-source'] = encodeURI(decodeURIComponent(copySource));
    return this.send({ method: req.method, path: req.url, headers }, body);
  }

  private send(options: { method?: string; path?: string; headers: IncomingMessage['headers'] }, body: Buffer) {
    return new Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }>((resolve, reject) => {
      const upstream = httpRequest({ host: '127.0.0.1', port: this.upstreamPort, ...options }, (response) => {
        readAll(response).then(
          (data) => resolve({ status: response.statusCode ?? 502, headers: response.headers, body: data }),
          reject,
        );
      });
      upstream.on('error', reject);
      upstream.end(body);
    });
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function matches(match: Matcher, entry: ProxiedRequest): boolean {
  if (match.method && match.method !== entry.method) return false;
  if (match.ranged && !(entry.method === 'GET' && entry.range)) return false;
  if (match.key instanceof RegExp) return match.key.test(entry.key);
  return match.key === undefined || match.key === entry.key;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

function sendError(res: ServerResponse, status: number, code: string, method: string): void {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${code} injected by the test proxy</Message></Error>`;
  res.writeHead(status, {
    'content-type': 'application/xml',
    'content-length': method === 'HEAD' ? 0 : Buffer.byteLength(xml),
  });
  res.end(method === 'HEAD' ? undefined : xml);
}
