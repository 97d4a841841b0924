import type { Dataset } from '../../lambda/validation';
import { writeParquet } from './duckdb-parquet';
import { writeSparkEvents } from './int96-writer';
import { type ArrowRsOptions, writeArrowRs, writePolars } from './producer-writers';

/**
 * Valid files from the writers producers use, each small enough that thousands of mutants of it are quick to judge,
 * and together covering every codec, dictionary and plain pages, data page v2, page indexes and several row groups.
 * The fuzz test and `npm run fuzz` mutate these.
 */
export interface FuzzFixture {
  readonly name: string;
  readonly dataset: Dataset;
  readonly bytes: Uint8Array;
}

/** The day folder the fixtures' metrics and events belong to, and a "now" after it. */
export const FUZZ_DAY = '2024-01-09';
export const FUZZ_NOW_MS = Date.UTC(2024, 0, 10, 12, 0, 0);
const EPOCH_SECONDS = 1_704_800_000;
const UUID = '123e4567-e89b-12d3-a456-426614174000';

const EVENTS = `SELECT ${EPOCH_SECONDS}::BIGINT + range % 600 AS timestamp, 'event_' || (range % 7) AS event_name,
                       '{"userID":"u' || range || '"}' AS "user", '{"k":"v"}' AS event_metadata,
                       regexp_replace(md5(range::VARCHAR), '^(.{8})(.{4})(.{4})(.{4})(.{12})$', '\\1-\\2-\\3-\\4-\\5') AS timeuuid
                FROM range(400)`;
const METRICS = `SELECT 'u' || range AS unit_id, 'user_id' AS id_type, DATE '${FUZZ_DAY}' AS date, 'm' || (range % 3) AS metric_name,
                        range::DOUBLE AS metric_value, NULL::DOUBLE AS numerator, NULL::DOUBLE AS denominator
                 FROM range(5000)`;

/** Rows of the Polars and arrow-rs files. */
export const ROWS = 300;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Events of `ROWS` rows as arrow-rs writes them with `options`. */
export function arrowEvents(options: ArrowRsOptions): Uint8Array {
  return writeArrowRs(
    (arrow) =>
      new arrow.Table({
        timestamp: arrow.vectorFromArray(
          range(ROWS).map((i) => (EPOCH_SECONDS + i) * 1000),
          new arrow.TimestampMicrosecond(),
        ),
        event_name: arrow.vectorFromArray(range(ROWS).map((i) => `click_${i % 4}`)),
        user: arrow.vectorFromArray(range(ROWS).map((i) => `{"userID":"u${i}"}`)),
        timeuuid: arrow.vectorFromArray(range(ROWS).map(() => UUID)),
      }),
    options,
  );
}

export async function fuzzFixtures(): Promise<FuzzFixture[]> {
  const duckdb: FuzzFixture[] = [
    { name: 'duckdb-events-snappy', dataset: 'events', bytes: await writeParquet(EVENTS, { compression: 'snappy' }) },
    { name: 'duckdb-events-gzip', dataset: 'events', bytes: await writeParquet(EVENTS, { compression: 'gzip' }) },
    {
      name: 'duckdb-metrics-uncompressed',
      dataset: 'metrics',
      bytes: await writeParquet(METRICS, { compression: 'uncompressed', rowGroupSize: 2048 }),
    },
    {
      name: 'duckdb-metrics-zstd',
      dataset: 'metrics',
      bytes: await writeParquet(METRICS, { compression: 'zstd', rowGroupSize: 2048 }),
    },
    {
      name: 'duckdb-signals-lz4',
      dataset: 'signals',
      bytes: await writeParquet(`SELECT DATE '2024-01-08' AS finished_date`, { compression: 'lz4_raw' }),
    },
  ];
  const polarsMetrics = (compression: 'lz4' | 'brotli' | 'snappy') =>
    writePolars(
      (pl) =>
        pl.DataFrame({
          unit_id: range(ROWS).map((i) => `u${i}`),
          id_type: range(ROWS).map(() => 'user_id'),
          date: pl.Series(
            'date',
            range(ROWS).map(() => new Date(`${FUZZ_DAY}T00:00:00Z`)),
            pl.Date,
          ),
          metric_name: range(ROWS).map((i) => `m${i % 3}`),
          metric_value: pl.Series(
            'metric_value',
            range(ROWS).map((i) => i / 2),
            pl.Float64,
          ),
          numerator: pl.Series(
            'numerator',
            range(ROWS).map(() => null),
            pl.Float64,
          ),
          denominator: pl.Series(
            'denominator',
            range(ROWS).map(() => null),
            pl.Float64,
          ),
        }),
      { compression },
    );
  return [
    ...duckdb,
    { name: 'polars-metrics-lz4', dataset: 'metrics', bytes: polarsMetrics('lz4') },
    { name: 'polars-metrics-brotli', dataset: 'metrics', bytes: polarsMetrics('brotli') },
    { name: 'arrow-rs-events-dictionary', dataset: 'events', bytes: arrowEvents({ maxRowGroupSize: 128 }) },
    {
      name: 'arrow-rs-events-v2-plain',
      dataset: 'events',
      bytes: arrowEvents({ dataPageV2: true, dictionary: false }),
    },
    {
      name: 'spark-int96-events',
      dataset: 'events',
      bytes: writeSparkEvents(
        range(ROWS).map((i) => (EPOCH_SECONDS + i) * 1000),
        UUID,
      ),
    },
  ];
}
