import { open, type FileHandle } from 'node:fs/promises';
import type { ByteSource } from '../../lambda/validation';

/** A byte source over a local file: positioned reads, so only the ranges the validator asks for are read. */
export async function openFileByteSource(path: string): Promise<ByteSource & { close(): Promise<void> }> {
  const handle: FileHandle = await open(path, 'r');
  const { size } = await handle.stat();
  return {
    byteLength: size,
    async slice(start, end) {
      const buffer = Buffer.allocUnsafeSlow(end - start);
      let offset = 0;
      while (offset < buffer.length) {
        const { bytesRead } = await handle.read(buffer, offset, buffer.length - offset, start + offset);
        if (bytesRead === 0) break;
        offset += bytesRead;
      }
      return buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + offset) as ArrayBuffer;
    },
    close: () => handle.close(),
  };
}
