/**
 * The frames of a zstd stream, read from their headers before anything is decompressed: the sizes they declare are
 * judged against the page header (a page's message names them), and what a parquet page never holds is refused.
 */

const ZSTD_MAGIC = 0xfd2fb528;
/** Skippable frames carry metadata, never page bytes: magic 0x184D2A50 to 0x184D2A5F. */
const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;
/** The format's limit for one block's decompressed bytes. */
const MAX_BLOCK_BYTES = 128 * 1024;

export interface ZstdFrame {
  /** The decompressed size the header declares, when it declares one. */
  readonly contentSize?: number;
  /** The most the frame's blocks can decompress to: raw and RLE sizes, and a full block for each compressed one. */
  readonly maxOutput: number;
}

export function zstdFrames(input: Uint8Array): ZstdFrame[] {
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const frames: ZstdFrame[] = [];
  let at = 0;
  const need = (bytes: number) => {
    if (at + bytes > input.length) throw new Error('zstd frame is cut short');
  };
  while (at < input.length) {
    need(4);
    const magic = view.getUint32(at, true);
    if ((magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE_MAGIC) {
      need(8);
      at += 8 + view.getUint32(at + 4, true);
      need(0);
      continue;
    }
    if (magic !== ZSTD_MAGIC) throw new Error('zstd frame does not start with the zstd magic number');
    need(5);
    const descriptor = input[at + 4];
    at += 5;
    if (descriptor & 0x08) throw new Error('zstd frame header sets a reserved bit');
    const singleSegment = (descriptor >> 5) & 1;
    const checksum = (descriptor >> 2) & 1;
    const dictionaryBytes = [0, 1, 2, 4][descriptor & 3];
    const sizeFlag = descriptor >> 6;
    const sizeBytes = sizeFlag ? 1 << sizeFlag : singleSegment;
    // The window descriptor: libzstd decodes a page in one call, into the page's buffer, with no window of its own.
    at += singleSegment ? 0 : 1;
    need(dictionaryBytes + sizeBytes);
    if (dictionaryBytes && readLittleEndian(input, at, dictionaryBytes) !== 0) {
      throw new Error('zstd frame needs a dictionary, which parquet never uses');
    }
    at += dictionaryBytes;
    const contentSize = sizeBytes ? readLittleEndian(input, at, sizeBytes) + (sizeBytes === 2 ? 256 : 0) : undefined;
    at += sizeBytes;
    let maxOutput = 0;
    for (let last = 0; !last;) {
      need(3);
      const header = input[at] | (input[at + 1] << 8) | (input[at + 2] << 16);
      last = header & 1;
      const type = (header >> 1) & 3;
      const size = header >>> 3;
      at += 3;
      if (type === 3) throw new Error('zstd block has the reserved type');
      if (size > MAX_BLOCK_BYTES) throw new Error(`zstd block claims ${size} bytes, over the format's 128 KiB`);
      const stored = type === 1 ? 1 : size;
      need(stored);
      at += stored;
      maxOutput += type === 2 ? MAX_BLOCK_BYTES : size;
    }
    at += checksum * 4;
    need(0);
    frames.push({ contentSize, maxOutput });
  }
  return frames;
}

/** Little-endian unsigned integers of up to 8 bytes, as a number: past 2^53 it is only compared, never used. */
function readLittleEndian(bytes: Uint8Array, at: number, length: number): number {
  let value = 0;
  for (let i = length - 1; i >= 0; i--) value = value * 256 + bytes[at + i];
  return value;
}
