import type { RuleSpec } from './types';

/** Rules about the file as a whole, whatever its dataset: where it sits, and whether Statsig's reader can read it. */
export const FILE_RULES = {
  dayFolder: {
    id: 'path.day-folder',
    severity: 'error',
    hint: 'write it as <dataset>/YYYY-MM-DD/<name>, with the day the data belongs to',
    doc: 'a file under events/ or metrics/ that is not in exactly one YYYY-MM-DD day folder',
  },
  hiveFolder: {
    id: 'path.hive-folder',
    severity: 'error',
    hint: 'use a plain folder: <dataset>/YYYY-MM-DD/<name>.parquet',
    doc: "a Hive-style partition folder (date=…/): Spark's partition discovery would add a clashing column",
  },
  signalsFolder: {
    id: 'path.signals-folder',
    severity: 'error',
    hint: 'write it as signals/<day>.parquet',
    doc: 'a signals file in a sub-folder of signals/',
  },
  emptyFile: {
    id: 'parquet.empty-file',
    severity: 'error',
    hint: 'upload the complete parquet file',
    doc: 'an object of zero bytes',
  },
  notParquet: {
    id: 'parquet.not-parquet',
    severity: 'error',
    hint: 'write the data as parquet',
    doc: 'a file that is not parquet (JSON, CSV, gzip, ORC, Avro…), or too short to be',
  },
  truncated: {
    id: 'parquet.truncated',
    severity: 'error',
    hint: 're-upload the complete file (check the writer finished before the upload)',
    doc: 'a parquet file cut short: it does not end with the parquet footer',
  },
  encrypted: {
    id: 'parquet.encrypted',
    severity: 'error',
    hint: 'write the file unencrypted; the bucket encrypts it at rest',
    doc: 'a footer or columns encrypted with Parquet Modular Encryption, which Statsig cannot read',
  },
  unsupportedCodec: {
    id: 'parquet.unsupported-codec',
    severity: 'error',
    hint: 'write the file with snappy or zstd compression',
    doc: "columns compressed with a codec Statsig's reader does not support (LZO)",
  },
  corrupt: {
    id: 'parquet.corrupt',
    severity: 'error',
    hint: 're-write the file: it is corrupt',
    doc: 'a footer, column chunk or page that cannot be decoded, or that points outside the file',
  },
  decodeTimeout: {
    id: 'parquet.decode-timeout',
    severity: 'error',
    hint: 're-write the file: it is corrupt',
    doc: 'a footer or row group whose decoding runs past the deadline (a page that makes the decoder loop)',
  },
  invalidUtf8: {
    id: 'parquet.invalid-utf8',
    severity: 'error',
    hint: 'encode the text as UTF-8 before writing the file',
    doc: 'a string value whose bytes are not valid UTF-8',
  },
  tooLarge: {
    id: 'file.too-large',
    severity: 'error',
    hint: 'split it into smaller files with smaller row groups (Spark: maxRecordsPerFile, parquet.block.size; Redshift UNLOAD: MAXFILESIZE; DuckDB: ROW_GROUP_SIZE; pyarrow, Polars: row_group_size) and upload those instead',
    doc: "a well-formed file the validator cannot finish within the invocation's remaining time, or with a row group larger than a decoder's memory: not quarantined, it holds its day until split",
  },
  emptyTable: {
    id: 'file.empty',
    severity: 'warning',
    hint: 'check the job that wrote it: an empty file adds nothing',
    doc: 'a readable file with no rows',
  },
} as const satisfies Record<string, RuleSpec>;

/**
 * Redshift's `UNLOAD … MANIFEST` writes a JSON list of the files it unloaded beside them, named `manifest` (after the
 * UNLOAD prefix). In a day folder it is data to Statsig, and not parquet: the hint names the cause.
 */
export const REDSHIFT_MANIFEST = {
  name: /manifest$/,
  hint: "Redshift's UNLOAD … MANIFEST wrote this manifest into the day folder: write the manifest under another prefix, or drop MANIFEST",
} as const;
