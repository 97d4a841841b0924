import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { Compressors } from 'hyparquet';
import { snappyUncompressor } from 'hysnappy';
import { mostDecompressed } from './codec-bounds';
import { decompressZstd } from './libzstd';
import { decodeLz4Block, decodeLz4Hadoop } from './lz4-block';
import { OverBudget } from './memory-budget';
import { zstdFrames } from './zstd-frames';

/**
 * Decompressors that stop at the page header's `uncompressed_page_size` and fail unless the stream decodes to
 * exactly that many bytes, as DuckDB's and arrow's do. hyparquet trusts its codecs, and hyparquet-compressors'
 * allocate whatever a page claims (SNAPPY, LZ4) or whatever the stream claims (ZSTD, GZIP) and pad or drop the rest.
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
      if (size > mostDecompressed(name, input.length)) {
        throw new Error(`a ${name} page's ${input.length} bytes cannot decompress to the ${size} its header claims`);
      }
      if (size > maxPageBytes) {
        throw new OverBudget(
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

/** hysnappy's WebAssembly decoder, the one hyparquet-compressors gives hyparquet. */
const snappyUncompress = snappyUncompressor();

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

/**
 * The frames' headers are judged first (sizes they declare, no dictionary, no reserved bits), then libzstd decodes the
 * whole stream into a buffer of the page's size: a frame that claims more, or a corrupt block, decodes to too little.
 */
function zstd(input: Uint8Array, size: number): Uint8Array {
  const frames = zstdFrames(input);
  const declared = frames.reduce((sum, frame) => sum + (frame.contentSize ?? 0), 0);
  if (frames.every((frame) => frame.contentSize !== undefined) && declared !== size) {
    throw new Error(`a ZSTD page's frames declare ${declared} bytes, its header says ${size}`);
  }
  if (size === 0) {
    if (frames.some((frame) => frame.maxOutput > 0)) throw new Error('a ZSTD page declared empty holds data');
    return new Uint8Array(0);
  }
  const output = decompressZstd(input, size);
  if (output.length === 0) {
    throw new Error(
      `a ZSTD page does not decompress into its ${size} bytes: libzstd refuses its stream (corrupt, or larger)`,
    );
  }
  return output;
}

function lz4Raw(input: Uint8Array, size: number): Uint8Array {
  const output = new Uint8Array(size);
  return output.subarray(0, decodeLz4Block(input, output, 0));
}

function lz4Hadoop(input: Uint8Array, size: number): Uint8Array {
  const output = new Uint8Array(size);
  return output.subarray(0, decodeLz4Hadoop(input, output) ?? decodeLz4Block(input, output, 0));
}
