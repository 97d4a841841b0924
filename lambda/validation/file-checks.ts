import { FILE_RULES } from './contracts';
import { fileProblem } from './file-problem';
import { findingOf, type RawFinding } from './findings';
import type { FileLayout } from './worker/protocol';

/** The codecs the strict decompressors decode, which are also the ones Statsig's Spark reader takes. */
const SUPPORTED_CODECS = new Set(['UNCOMPRESSED', 'SNAPPY', 'GZIP', 'BROTLI', 'ZSTD', 'LZ4', 'LZ4_RAW']);

/**
 * What the footer says about whether Statsig can read the file at all: encrypted columns end the checks (thrown),
 * and each unsupported codec is a finding, after which nothing is decoded.
 */
export function unreadableParts(layout: FileLayout): RawFinding[] {
  if (layout.encryptedColumns.length) {
    throw fileProblem(
      FILE_RULES.encrypted,
      `the columns ${layout.encryptedColumns.join(', ')} are encrypted with Parquet Modular Encryption, which Statsig cannot read`,
    );
  }
  const badCodecs = new Map<string, string[]>();
  for (const chunk of layout.rowGroups.flatMap((group) => group.chunks)) {
    if (SUPPORTED_CODECS.has(chunk.codec)) continue;
    const columns = badCodecs.get(chunk.codec) ?? [];
    if (!columns.includes(chunk.column)) badCodecs.set(chunk.codec, [...columns, chunk.column]);
  }
  return [...badCodecs].map(([codec, columns]) =>
    findingOf(FILE_RULES.unsupportedCodec, {
      column: columns.join(', '),
      problem: `the file is compressed with ${codec}, which Statsig's reader does not support`,
    }),
  );
}
