import { BENCH_DAY } from './datasets';

/**
 * The same rules as the validator, as one DuckDB query per dataset returning a violation count per rule: the
 * reference the validator's speed is measured against.
 */
export function referenceSql(dataset: 'events' | 'metrics', path: string, nowSeconds: number): string {
  const file = `read_parquet('${path.replace(/'/g, "''")}')`;
  if (dataset === 'metrics') {
    return `WITH f AS (SELECT * FROM ${file})
      SELECT
        count(*) FILTER (WHERE unit_id IS NULL OR unit_id = '') AS "metrics.unit_id.empty",
        count(*) FILTER (WHERE id_type IS NULL OR id_type NOT IN ('user_id', 'stable_id')) AS "metrics.id_type.unknown",
        count(*) FILTER (WHERE date IS NULL OR CAST(date AS VARCHAR) <> '${BENCH_DAY}') AS "metrics.date.folder-mismatch",
        count(*) FILTER (WHERE metric_name IS NULL OR length(metric_name) NOT BETWEEN 1 AND 127) AS "metrics.metric_name.length",
        count(*) FILTER (WHERE NOT isfinite(metric_value) OR NOT isfinite(numerator) OR NOT isfinite(denominator)) AS "metrics.number.non-finite",
        count(*) FILTER (WHERE metric_value IS NULL AND (numerator IS NULL OR denominator IS NULL)) AS "metrics.value.missing",
        (SELECT count(*) FROM (SELECT metric_name FROM f GROUP BY metric_name
           HAVING count(*) FILTER (WHERE numerator IS NOT NULL AND denominator IS NOT NULL) > 0
              AND count(*) FILTER (WHERE denominator IS NULL) > 0)) AS "metrics.ratio.mixed",
        count(*) - (SELECT count(*) FROM (SELECT DISTINCT unit_id, id_type, date, metric_name FROM f)) AS "metrics.duplicate-key"
      FROM f`;
  }
  return `SELECT
      count(*) FILTER (WHERE timestamp IS NULL OR timestamp < 946684800 OR timestamp > ${nowSeconds + 86400}) AS "events.timestamp.range",
      count(*) FILTER (WHERE event_name IS NULL OR length(event_name) NOT BETWEEN 1 AND 127) AS "events.event_name.length",
      count(*) FILTER (WHERE contains(event_name, ' ')) AS "events.event_name.space",
      count(*) FILTER (WHERE user IS NULL OR NOT json_valid(user) OR json_type(user) <> 'OBJECT'
        OR list_has_any(json_keys(user), ['userId', 'userid', 'UserID', 'customIds', 'customids', 'stableId', 'stableID'])
        OR coalesce(json_extract_string(user, '$.userID'), '') = ''
           AND coalesce(json_type(user, '$.customIDs'), '') <> 'OBJECT') AS "events.user.invalid",
      count(*) FILTER (WHERE length(event_value) > 127) AS "events.event_value.length",
      count(*) FILTER (WHERE event_metadata IS NOT NULL AND (NOT json_valid(event_metadata) OR json_type(event_metadata) <> 'OBJECT')) AS "events.event_metadata.json",
      count(*) FILTER (WHERE timeuuid IS NOT NULL AND NOT regexp_full_match(timeuuid, '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}')) AS "events.timeuuid.invalid"
    FROM ${file}`;
}
