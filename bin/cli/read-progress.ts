import type { ByteSource } from '../../lambda/validation';

export type ClosableSource = ByteSource & { close(): Promise<void> };

/** How often, in bytes read, a large file's progress is told. */
const STEP_BYTES = 64 * 1024 * 1024;

/** The source, telling `tell` each time another STEP_BYTES of it have been read, so a long read shows it moves. */
export function withReadProgress(source: ClosableSource, tell: (line: string) => void): ClosableSource {
  const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
  let read = 0;
  let told = 0;
  return {
    byteLength: source.byteLength,
    close: () => source.close(),
    async slice(start, end) {
      const bytes = await source.slice(start, end);
      read += bytes.byteLength;
      if (read - told >= STEP_BYTES) {
        told = read;
        tell(`  … ${mb(read)} of ${mb(source.byteLength)} MB read`);
      }
      return bytes;
    },
  };
}
