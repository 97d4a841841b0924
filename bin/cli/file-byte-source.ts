import { open, type FileHandle } from 'node:fs/promises';
import type { ByteSource } from '../../lambda/validation';

/** A byte source over a local file: positioned reads, so only the ranges the validator asks for are read. */
export async function openFileByteSource(path: string): Promise<ByteSource & { close(): Promise<void> }> {
  const handle: FileHandle = await open(path, 'r');
  const { size } = await handle.stat();
  return {
    byteLength: size,
    async slice(start, end) {
      // Read straight into the ArrayBuffer the validator keeps: no pooled Buffer, no second copy.
      const buffer = new ArrayBuffer(end - start);
      const view = new Uint8Array(buffer);
      let offset = 0;
      while (offset < view.length) {
        const { bytesRead } = await handle.read(view, offset, view.length - offset, start + offset);
        if (bytesRead === 0) break;
        offset += bytesRead;
      }
      return offset === view.length ? buffer : buffer.slice(0, offset);
    },
    close: () => handle.close(),
  };
}
