/**
 * The benchmark's files, written by DuckDB: the shapes producers really upload (DuckDB's default row groups),
 * plus one file written as a single row group to show memory follows the row group, not the file, and a 100M-row
 * events file (2.2 GB) to show throughput and memory at size.
 */
export const BENCH_DAY = '2024-01-02';

export interface BenchFile {
  readonly name: string;
  readonly dataset: 'events' | 'metrics';
  readonly rows: number;
  readonly compression: 'zstd' | 'snappy';
  /** Rows per row group; DuckDB's default when absent. */
  readonly rowGroupSize?: number;
  /** Measured a second time with two decoders, as a Lambda with two vCPUs (1,769 MB or more) runs. */
  readonly twoDecoders?: boolean;
}

export const BENCH_FILES: readonly BenchFile[] = [
  { name: 'metrics-1m-zstd', dataset: 'metrics', rows: 1_000_000, compression: 'zstd' },
  { name: 'metrics-1m-snappy', dataset: 'metrics', rows: 1_000_000, compression: 'snappy' },
  {
    name: 'metrics-1m-zstd-one-row-group',
    dataset: 'metrics',
    rows: 1_000_000,
    compression: 'zstd',
    rowGroupSize: 1_000_000,
  },
  { name: 'metrics-10m-zstd', dataset: 'metrics', rows: 10_000_000, compression: 'zstd', twoDecoders: true },
  { name: 'metrics-10m-snappy', dataset: 'metrics', rows: 10_000_000, compression: 'snappy' },
  { name: 'events-1m-zstd', dataset: 'events', rows: 1_000_000, compression: 'zstd' },
  { name: 'events-1m-snappy', dataset: 'events', rows: 1_000_000, compression: 'snappy' },
  { name: 'events-10m-zstd', dataset: 'events', rows: 10_000_000, compression: 'zstd', twoDecoders: true },
  // Throughput at size, and the basis of the projection for Redshift's largest UNLOAD file (6.2 GB).
  { name: 'events-100m-zstd', dataset: 'events', rows: 100_000_000, compression: 'zstd' },
];

/** Rows as a metrics job writes them: a few hundred thousand units, a few dozen metrics, some ratios. */
function metricsSelect(rows: number): string {
  return `SELECT
      'unit-' || (i // 40) AS unit_id,
      CASE WHEN i % 7 = 0 THEN 'stable_id' ELSE 'user_id' END AS id_type,
      DATE '${BENCH_DAY}' AS date,
      'metric_' || (i % 40) AS metric_name,
      CASE WHEN i % 40 < 30 THEN random() * 100 ELSE CAST(NULL AS DOUBLE) END AS metric_value,
      CASE WHEN i % 40 >= 30 THEN random() * 10 ELSE CAST(NULL AS DOUBLE) END AS numerator,
      CASE WHEN i % 40 >= 30 THEN 1 + random() * 10 ELSE CAST(NULL AS DOUBLE) END AS denominator
    FROM range(${rows}) t(i)`;
}

/** Rows as an event pipeline writes them: JSON users with IDs, metadata, a UUID per event. */
function eventsSelect(rows: number): string {
  const dayStart = Date.UTC(2024, 0, 2) / 1000 + 8 * 3600;
  return `SELECT
      ${dayStart} + (i % 86400) AS timestamp,
      'event_' || (i % 60) AS event_name,
      '{"userID":"user-' || (i % 200000) || '","country":"US","custom":{"plan":"pro"}}' AS user,
      CASE WHEN i % 3 = 0 THEN CAST(i % 1000 AS VARCHAR) END AS event_value,
      '{"page":"/p/' || (i % 500) || '","source":"web"}' AS event_metadata,
      uuid()::VARCHAR AS timeuuid
    FROM range(${rows}) t(i)`;
}

export function selectFor(file: BenchFile): string {
  return file.dataset === 'metrics' ? metricsSelect(file.rows) : eventsSelect(file.rows);
}
