/**
 * The most bytes each codec's densest encoding writes per compressed byte. A page claiming more than its compressed
 * bytes can give is corrupt whatever the budget; one that could, but is over the budget, is only too large for it.
 * BROTLI has no useful bound (its dictionary references and repeats), so it is never judged by this.
 */
const MOST_PER_BYTE: Readonly<Record<string, number>> = {
  UNCOMPRESSED: 1,
  // A 3-byte copy writes at most 64 bytes.
  SNAPPY: 22,
  // Deflate's limit, 1032:1.
  GZIP: 1032,
  // Each length byte of 255 adds 255 bytes to a match.
  LZ4: 256,
  LZ4_RAW: 256,
  // An RLE block: a 3-byte header and 1 byte for 128 KiB.
  ZSTD: 32768,
};
/** Headers and length prefixes a stream may carry besides its blocks. */
const STREAM_SLACK_BYTES = 64;

/** The most `compressedBytes` of a codec can decompress to. */
export function mostDecompressed(codec: string, compressedBytes: number): number {
  const ratio = MOST_PER_BYTE[codec];
  return ratio === undefined ? Infinity : ratio * compressedBytes + STREAM_SLACK_BYTES;
}
