import * as arrow from 'apache-arrow';
import pl from 'nodejs-polars';
import * as parquetWasm from 'parquet-wasm';

/**
 * Parquet writers that real producers use, beside DuckDB (`duckdb-parquet.ts`): each writes its own encodings, page
 * layout and metadata, which is what a validator must read as a strict reader does.
 *
 * - Polars (`nodejs-polars`, the Rust Polars engine): what Polars pipelines and `pl.DataFrame.write_parquet` write.
 * - arrow-rs through `parquet-wasm`: the writer of DataFusion, delta-rs and Rust services; it can also write
 *   dictionary, DELTA_* and BYTE_STREAM_SPLIT encodings, data page v2, page indexes and bloom filters.
 */

export type PolarsCompression = 'uncompressed' | 'snappy' | 'gzip' | 'lz4' | 'zstd' | 'brotli';

/** A Polars DataFrame, built by `build` with the library passed in, written as Polars writes it. */
export function writePolars(
  build: (polars: typeof pl) => pl.DataFrame,
  options: { readonly compression?: PolarsCompression } = {},
): Uint8Array {
  const written = build(pl).writeParquet({ compression: options.compression ?? 'zstd' });
  return new Uint8Array(written);
}

export interface ArrowRsOptions {
  readonly compression?: parquetWasm.Compression;
  /** Encoding for every column without a dictionary; arrow-rs picks one per column otherwise. */
  readonly encoding?: parquetWasm.Encoding;
  /** Encodings of single columns (by name), for columns without a dictionary. */
  readonly columnEncodings?: Readonly<Record<string, parquetWasm.Encoding>>;
  readonly dictionary?: boolean;
  readonly maxRowGroupSize?: number;
  readonly dataPageV2?: boolean;
}

/** An Apache Arrow table, built by `build` with arrow-js passed in, written by arrow-rs. */
export function writeArrowRs(build: (arrowJs: typeof arrow) => arrow.Table, options: ArrowRsOptions = {}): Uint8Array {
  const table = parquetWasm.Table.fromIPCStream(arrow.tableToIPC(build(arrow), 'stream'));
  let properties = new parquetWasm.WriterPropertiesBuilder()
    .setCompression(options.compression ?? parquetWasm.Compression.ZSTD)
    .setDictionaryEnabled(options.dictionary ?? true)
    .setWriterVersion(options.dataPageV2 ? parquetWasm.WriterVersion.V2 : parquetWasm.WriterVersion.V1);
  if (options.encoding !== undefined) properties = properties.setEncoding(options.encoding);
  for (const [column, encoding] of Object.entries(options.columnEncodings ?? {})) {
    properties = properties.setColumnEncoding(column, encoding);
  }
  if (options.maxRowGroupSize !== undefined) properties = properties.setMaxRowGroupSize(options.maxRowGroupSize);
  return parquetWasm.writeParquet(table, properties.build());
}
