import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

/**
 * Parquet fixtures written by DuckDB, an independent writer: the validator must judge files as real producers
 * write them, never bytes shaped to please it.
 */
export interface ParquetWriteOptions {
  /** DuckDB codec name: snappy (DuckDB's default), gzip, zstd, brotli, lz4, lz4_raw, uncompressed. */
  readonly compression?: string;
  /** Rows per row group; DuckDB's default is 122880. */
  readonly rowGroupSize?: number;
}

let connection: Promise<DuckDBConnection> | undefined;
let scratch: string | undefined;
let counter = 0;

function duck(): Promise<DuckDBConnection> {
  connection ??= DuckDBInstance.create(':memory:').then((db) => db.connect());
  return connection;
}

function scratchDir(): string {
  scratch ??= mkdtempSync(join(tmpdir(), 'statsig-s3-fixtures-'));
  return scratch;
}

/** Runs `COPY (<select>) TO <file>` and returns the file's path. */
export async function writeParquetFile(
  select: string,
  options: ParquetWriteOptions = {},
  path?: string,
): Promise<string> {
  const target = path ?? join(scratchDir(), `fixture-${process.pid}-${counter++}.parquet`);
  const settings = [`FORMAT parquet`, `COMPRESSION ${options.compression ?? 'snappy'}`];
  if (options.rowGroupSize) settings.push(`ROW_GROUP_SIZE ${options.rowGroupSize}`);
  await (await duck()).run(`COPY (${select}) TO '${target.replace(/'/g, "''")}' (${settings.join(', ')})`);
  return target;
}

/** The same, returning the file's bytes. */
export async function writeParquet(select: string, options: ParquetWriteOptions = {}): Promise<Uint8Array> {
  const path = await writeParquetFile(select, options);
  const bytes = readFileSync(path);
  rmSync(path);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Rows DuckDB reads back from a parquet file (used to cross-check files our own code writes). */
export async function readParquetRows(path: string): Promise<Record<string, unknown>[]> {
  const reader = await (await duck()).runAndReadAll(`SELECT * FROM read_parquet('${path.replace(/'/g, "''")}')`);
  return reader.getRowObjectsJS() as Record<string, unknown>[];
}

/**
 * Whether DuckDB, the oracle for "readable", reads every value of every column of a file, and how many rows: a hash
 * of each column forces each page to be decoded (a bare count would come from the footer).
 */
export async function duckdbReads(path: string): Promise<{ rows?: number; error?: string }> {
  try {
    const reader = await (
      await duck()
    ).runAndReadAll(`SELECT count(*) AS n, bit_xor(hash(COLUMNS(*))) FROM read_parquet('${path.replace(/'/g, "''")}')`);
    return { rows: Number(reader.getRowObjectsJS()[0].n) };
  } catch (error) {
    return { error: (error as Error).message.split('\n')[0] };
  }
}

/** Closes DuckDB and removes the scratch folder; call from afterAll. */
export async function closeDuckDb(): Promise<void> {
  if (connection) (await connection).closeSync();
  connection = undefined;
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
}
