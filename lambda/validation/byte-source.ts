/**
 * Where the validator reads a file's bytes from: the CLI gives a file-backed source, the Lambda an S3-backed one.
 * It is the shape hyparquet calls an AsyncBuffer.
 */
export interface ByteSource {
  readonly byteLength: number;
  slice(start: number, end: number): Promise<ArrayBuffer>;
}

/** A byte source over bytes already in memory (tests, small files, the CLI's stdin). */
export function byteSourceFromBytes(bytes: Uint8Array | ArrayBuffer): ByteSource {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  return {
    byteLength: view.byteLength,
    // Not view.slice: on a Node Buffer that is a view, whose .buffer is the whole shared allocation pool.
    slice: async (start, end) => view.buffer.slice(view.byteOffset + start, view.byteOffset + end) as ArrayBuffer,
  };
}

/** The byte source itself failed (S3 throttled, a file vanished): not a verdict on the file, so the caller retries. */
export class ByteSourceError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * Counts what is read through a source, and refuses ranges outside the file: a corrupt footer can point anywhere,
 * and the byte source behind (S3, a file) must never be asked for a range the file does not have.
 */
export class GuardedByteSource implements ByteSource {
  public bytesRead = 0;
  public requests = 0;

  constructor(private readonly inner: ByteSource) {}

  get byteLength(): number {
    return this.inner.byteLength;
  }

  async slice(start: number, end: number): Promise<ArrayBuffer> {
    if (
      !Number.isSafeInteger(start) ||
      !Number.isSafeInteger(end) ||
      start < 0 ||
      end > this.inner.byteLength ||
      start > end
    ) {
      throw new RangeError(`byte range [${start}, ${end}) is outside the file (${this.inner.byteLength} bytes)`);
    }
    if (start === end) return new ArrayBuffer(0);
    this.requests += 1;
    let buffer: ArrayBuffer;
    try {
      buffer = await this.inner.slice(start, end);
    } catch (error) {
      throw new ByteSourceError(`reading bytes [${start}, ${end}) failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
    if (buffer.byteLength !== end - start) {
      throw new ByteSourceError(
        `byte range [${start}, ${end}) returned ${buffer.byteLength} bytes: the file changed or was cut short`,
      );
    }
    this.bytesRead += buffer.byteLength;
    return buffer;
  }
}
