import { writeParquet } from '../support/duckdb-parquet';

/** 2024-05-01 12:00:00Z in epoch seconds: inside every day window the tests use. */
const BASE_SECONDS = 1_714_564_800;

/** Well-formed events, written by DuckDB as a producer would. */
export function validEvents(rows = 50, rowGroupSize?: number): Promise<Uint8Array> {
  return writeParquet(
    `SELECT (${BASE_SECONDS} + i)::BIGINT AS "timestamp", 'page_view' AS event_name,
            '{"userID":"user-' || i || '"}' AS "user", 'home' AS event_value,
            '{"plan":"pro"}' AS event_metadata, uuid()::VARCHAR AS timeuuid
     FROM range(${rows}) t(i)`,
    { rowGroupSize },
  );
}

/** Events whose `user` objects spell the ID key `userId`: one error per row. */
export function eventsWithMisspelledUserId(rows = 20): Promise<Uint8Array> {
  return writeParquet(
    `SELECT (${BASE_SECONDS} + i)::BIGINT AS "timestamp", 'page_view' AS event_name,
            '{"userId":"user-' || i || '"}' AS "user", NULL::VARCHAR AS event_value,
            NULL::VARCHAR AS event_metadata, uuid()::VARCHAR AS timeuuid
     FROM range(${rows}) t(i)`,
  );
}

/** Well-formed metrics for `day`. */
export function validMetrics(day: string, rows = 20): Promise<Uint8Array> {
  return writeParquet(
    `SELECT 'unit-' || i AS unit_id, 'user_id' AS id_type, DATE '${day}' AS "date", 'revenue' AS metric_name,
            (i * 1.5)::DOUBLE AS metric_value, NULL::DOUBLE AS numerator, NULL::DOUBLE AS denominator
     FROM range(${rows}) t(i)`,
  );
}
