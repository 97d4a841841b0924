import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ByteSource } from '../validation';
import { Limiter } from './limiter';
import { isNotFound, isPreconditionFailed, type ObjectVersion } from './object-version';
import { type RetryObserver, type RetryPolicy, withRetries } from './retry';

export interface RangeReadLimits {
  /** The largest byte range one GET asks for; bigger slices are split. */
  readonly maxRangeBytes: number;
  /** GETs in flight at once for one file. */
  readonly maxConcurrentRequests: number;
}

export const DEFAULT_RANGE_READ_LIMITS: RangeReadLimits = { maxRangeBytes: 8 * 1024 * 1024, maxConcurrentRequests: 4 };

/** The object is no longer the version the read started on: overwritten (412) or deleted (404) mid-read. */
export class ObjectChangedError extends Error {
  constructor(
    readonly version: ObjectVersion,
    cause: unknown,
  ) {
    super(`s3://${version.bucket}/${version.key} changed while it was being read (ETag ${version.etag} is gone)`, {
      cause,
    });
    this.name = 'ObjectChangedError';
  }
}

/**
 * The bytes of one object version, read with explicit ranges (`bytes=a-b`, never suffix ranges) computed from the
 * HEAD's length, each GET conditional on the HEAD's ETag: if the object is overwritten mid-read, S3 answers 412 and
 * no verdict can mix two versions. The first failure is kept, so that the handler can tell an I/O failure apart from
 * a verdict even if the validation core turned the failed read into a finding.
 */
export class S3ByteSource implements ByteSource {
  failure: unknown;
  private readonly limiter: Limiter;

  constructor(
    private readonly s3: S3Client,
    private readonly version: ObjectVersion,
    private readonly limits: RangeReadLimits,
    private readonly retry: RetryPolicy,
    private readonly onRetry: RetryObserver,
  ) {
    this.limiter = new Limiter(limits.maxConcurrentRequests);
  }

  get byteLength(): number {
    return this.version.size;
  }

  async slice(start: number, end: number): Promise<ArrayBuffer> {
    try {
      const parts: Promise<Uint8Array>[] = [];
      for (let from = start; from < end; from += this.limits.maxRangeBytes) {
        const to = Math.min(end, from + this.limits.maxRangeBytes);
        parts.push(this.limiter.run(() => this.readRange(from, to)));
      }
      const joined = new Uint8Array(end - start);
      let offset = 0;
      for (const part of await Promise.all(parts)) {
        joined.set(part, offset);
        offset += part.byteLength;
      }
      return joined.buffer;
    } catch (error) {
      this.failure ??= error;
      throw error;
    }
  }

  /**
   * The SDK retries a failed request; a body cut short after the headers arrived is retried here, as the SDK has
   * already handed the response over.
   */
  private readRange(start: number, end: number): Promise<Uint8Array> {
    return withRetries(
      this.retry,
      { classify: (error) => (error instanceof BodyCutShort ? 'BODY' : undefined), observe: this.onRetry },
      async () => {
        const response = await this.get(start, end);
        let bytes: Uint8Array;
        try {
          bytes = await response.Body!.transformToByteArray();
        } catch (error) {
          throw new BodyCutShort(`range ${start}-${end - 1} broke off`, error);
        }
        if (bytes.byteLength !== end - start)
          throw new BodyCutShort(`range ${start}-${end - 1} returned ${bytes.byteLength} bytes`);
        return bytes;
      },
    );
  }

  private async get(start: number, end: number) {
    const { bucket, key, etagHeader } = this.version;
    try {
      return await this.s3.send(
        new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=${start}-${end - 1}`, IfMatch: etagHeader }),
      );
    } catch (error) {
      if (isPreconditionFailed(error) || isNotFound(error)) throw new ObjectChangedError(this.version, error);
      throw error;
    }
  }
}

/** A response whose body ended before the range did: the request is worth sending again. */
class BodyCutShort extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'BodyCutShort';
  }
}
