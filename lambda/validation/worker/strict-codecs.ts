import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { Compressors } from 'hyparquet';
import { compressors as lenientCompressors, decompressZstd } from 'hyparquet-compressors';
import { decodeLz4Block, decodeLz4Hadoop } from './lz4-block';
import { zstdFrames } from './zstd-frames';

/**
 * Decompressors that stop at the page header's `uncompressed_page_size` and fail unless the stream decodes to
 * exactly that many bytes, as DuckDB's and arrow's do. hyparquet trusts its codecs: hyparquet-compressors allocates
 * whatever a page claims (SNAPPY, LZ4) or whatever the stream claims (ZSTD, GZIP), and pads or drops the rest.
 * `maxPageBytes` caps any one page's output, so that no page can claim more memory than the budget gives it;
 * `inspect` sees each page's decompressed bytes before hyparquet reads them.
 */
export function strictCompressors(
  maxPageBytes: number,
  inspect: (input: Uint8Array, output: Uint8Array) => void = () => {},
): Compressors {
  const capped =
    (name: string, decode: (input: Uint8Array, size: number) => Uint8Array) =>
    (input: Uint8Array, size: number): Uint8Array => {
      if (size > maxPageBytes) {
        throw new Error(
          `a ${name} page claims ${size} bytes decompressed, more than the memory budget allows one page (${maxPageBytes})`,
        );
      }
      const output = decode(input, size);
      if (output.length !== size) {
        throw new Error(`a ${name} page decompresses to ${output.length} bytes, its header says ${size}`);
      }
      inspect(input, output);
      return output;
    };
  return {
    SNAPPY: capped('SNAPPY', snappy),
    GZIP: capped('GZIP', (input, size) => gunzipSync(input, { maxOutputLength: size + 1 })),
    BROTLI: capped('BROTLI', (input, size) => brotliDecompressSync(input, { maxOutputLength: size + 1 })),
    ZSTD: capped('ZSTD', zstd),
    LZ4: capped('LZ4', lz4Hadoop),
    LZ4_RAW: capped('LZ4_RAW', lz4Raw),
  };
}

const snappyUncompress = lenientCompressors.SNAPPY!;

/** Snappy's stream opens with its decompressed length: it must be the page's before anything is allocated. */
function snappy(input: Uint8Array, size: number): Uint8Array {
  let declared = 0;
  let i = 0;
  for (let shift = 0; ; shift += 7) {
    if (i >= input.length || shift > 28) throw new Error('the SNAPPY page has no valid length prefix');
    const byte = input[i++];
    declared += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) break;
  }
  if (declared !== size) throw new Error(`a SNAPPY page's stream declares ${declared} bytes, its header says ${size}`);
  return snappyUncompress(input, size);
}

/** Frame by frame into one buffer of the page's size, each frame's sizes judged before fzstd sees it. */
function zstd(input: Uint8Array, size: number): Uint8Array {
  const frames = zstdFrames(input);
  const declared = frames.reduce((sum, frame) => sum + (frame.contentSize ?? frame.maxOutput), 0);
  if (frames.every((frame) => frame.contentSize !== undefined) && declared !== size) {
    throw new Error(`a ZSTD page's frames declare ${declared} bytes, its header says ${size}`);
  }
  // The common page, one frame declaring the page's size, decodes into the buffer fzstd allocates for it, uncopied.
  const [only] = frames;
  if (frames.length === 1 && only.contentSize === size && size > 0) return decompressZstd(only.bytes);
  const output = new Uint8Array(size);
  let at = 0;
  for (const frame of frames) {
    const room = size - at;
    if (
      (frame.contentSize ?? 0) > room ||
      (frame.contentSize === undefined && frame.windowSize > Math.max(room, 1 << 23))
    ) {
      throw new Error(`a ZSTD frame claims more than the ${size} bytes its page header declares`);
    }
    if (frame.contentSize !== undefined) {
      // Not into `output`: fzstd compares an output argument with 1 (`w == 1`), which makes a string of it first.
      const decoded =
        frame.contentSize > 0 ? decompressZstd(frame.bytes) : decompressZstd(frame.bytes, output.subarray(at, at));
      output.set(decoded, at);
      at += frame.contentSize;
    } else {
      // A frame without a content size decodes into fzstd's own buffers, bounded by its blocks' sizes.
      if (frame.maxOutput > room + (1 << 17))
        throw new Error(`a ZSTD frame can decompress past its page's ${size} bytes`);
      const decoded = decompressZstd(frame.bytes);
      if (decoded.length > room) throw new Error(`a ZSTD page decompresses past the ${size} bytes its header says`);
      output.set(decoded, at);
      at += decoded.length;
    }
  }
  return at === size ? output : output.subarray(0, at);
}

function lz4Raw(input: Uint8Array, size: number): Uint8Array {
  const output = new Uint8Array(size);
  return output.subarray(0, decodeLz4Block(input, output, 0));
}

function lz4Hadoop(input: Uint8Array, size: number): Uint8Array {
  const output = new Uint8Array(size);
  return output.subarray(0, decodeLz4Hadoop(input, output) ?? decodeLz4Block(input, output, 0));
}
