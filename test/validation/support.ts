import {
  byteSourceFromBytes,
  RULE_CATALOGUE,
  validateParquet,
  type Dataset,
  type Decoder,
  type Finding,
  type ValidationOptions,
  type ValidationReport,
} from '../../lambda/validation';
import { suiteDecoder } from '../support/decoder';
import { writeParquet, type ParquetWriteOptions } from '../support/duckdb-parquet';

/**
 * Shared by the validation suites. Every fixture is a SELECT that DuckDB writes to parquet; rows are given as column
 * SQL expressions so a test states the one value it breaks and inherits valid values for the rest.
 */

/** "Now" for every check: 2024-01-10 12:00Z, so future-date and day-ended verdicts never depend on the clock. */
export const NOW_MS = Date.UTC(2024, 0, 10, 12, 0, 0);
/** A day that has ended in UTC−8 well before NOW_MS, used as the day folder. */
export const DAY = '2024-01-09';
/** 2024-01-09T11:33:20Z in epoch seconds: inside [2000-01-01, now + 1 day]. */
export const EPOCH_SECONDS = 1_704_800_000;

export type Row = Record<string, string>;

export const sqlString = (text: string): string => `'${text.replace(/'/g, "''")}'`;

/** `SELECT … UNION ALL SELECT …`, one SELECT per row, columns in the first row's order. */
export function selectRows(rows: readonly Row[]): string {
  const names = Object.keys(rows[0]);
  return rows.map((row) => `SELECT ${names.map((name) => `${row[name]} AS "${name}"`).join(', ')}`).join(' UNION ALL ');
}

/** Valid events columns (spec §2): epoch seconds, a userID, a UUID string. */
export const EVENT: Row = {
  timestamp: `${EPOCH_SECONDS}::BIGINT`,
  event_name: `'add_to_cart'`,
  user: sqlString('{"userID":"u1"}'),
  event_value: `'3'`,
  event_metadata: sqlString('{"plan":"pro"}'),
  timeuuid: `uuid()::VARCHAR`,
};

/** Valid metrics columns (spec §3) for the day folder DAY. */
export const METRIC: Row = {
  unit_id: `'u1'`,
  id_type: `'user_id'`,
  date: `DATE '${DAY}'`,
  metric_name: `'revenue'`,
  metric_value: `1.5::DOUBLE`,
  numerator: `NULL::DOUBLE`,
  denominator: `NULL::DOUBLE`,
};

/** `count` valid rows with `bad` merged into row `at`; the unit_id varies so metrics rows stay unique. */
export function rowsWith(base: Row, count: number, at: number, bad: Row): Row[] {
  return Array.from({ length: count }, (_, index) => {
    const row: Row = { ...base, ...(base === METRIC ? { unit_id: `'u${index}'` } : {}) };
    return index === at ? { ...row, ...bad } : row;
  });
}

/** A row with `drop` columns removed. */
export function without(row: Row, ...drop: string[]): Row {
  return Object.fromEntries(Object.entries(row).filter(([name]) => !drop.includes(name)));
}

export interface CheckOptions extends Partial<Omit<ValidationOptions, 'dataset'>> {
  readonly write?: ParquetWriteOptions;
}

let fileCounter = 0;

export interface FixtureChecks {
  /** Writes the SELECT with DuckDB and validates the bytes, named as a bucket key so messages can be checked. */
  check(dataset: Dataset, select: string, options?: CheckOptions): Promise<ValidationReport>;
  /** Validates the bytes as a file of the dataset's day folder, at NOW_MS. */
  validateBytes(
    dataset: Dataset,
    bytes: Uint8Array,
    options?: Partial<Omit<ValidationOptions, 'dataset'>>,
  ): Promise<ValidationReport>;
}

/** The fixtures' checks through `decoder`: by default the test file's own, closed after its last test. */
export function fixtureChecks(decoder: Decoder = suiteDecoder()): FixtureChecks {
  const validateBytes: FixtureChecks['validateBytes'] = (dataset, bytes, options = {}) => {
    const day = dataset === 'signals' ? undefined : DAY;
    const file =
      dataset === 'signals'
        ? `signals/fixture-${fileCounter++}.parquet`
        : `${dataset}/${day}/fixture-${fileCounter++}.parquet`;
    return validateParquet(
      byteSourceFromBytes(bytes),
      { file, dataset, nowMs: NOW_MS, ...(day ? { day } : {}), ...options },
      decoder,
    );
  };
  return {
    validateBytes,
    check: async (dataset, select, { write, ...rest } = {}) =>
      validateBytes(dataset, await writeParquet(select, write), rest),
  };
}

export function allFindings(report: ValidationReport): Finding[] {
  return [...report.errors, ...report.warnings];
}

export function rulesOf(report: ValidationReport): string[] {
  return [...new Set(report.counts.map((count) => count.rule))].sort();
}

export interface Expected {
  readonly rule: string;
  readonly column?: string;
  readonly row?: number;
  readonly severity?: 'error' | 'warning';
}

/**
 * Finds the finding and checks the report's promise (spec §6, issue 2 "Done when"): the message names the file,
 * the row, the column and a fix a data engineer can act on.
 */
export function expectFinding(report: ValidationReport, expected: Expected): Finding {
  const severity = expected.severity ?? 'error';
  const found = (severity === 'error' ? report.errors : report.warnings).find(
    (finding) =>
      finding.rule === expected.rule &&
      (expected.column === undefined || finding.column === expected.column) &&
      (expected.row === undefined || finding.row === expected.row),
  );
  if (!found) {
    const seen = allFindings(report)
      .slice(0, 10)
      .map(({ rule, column, row }) => ({ rule, column, row }));
    throw new Error(
      `expected ${severity} ${JSON.stringify(expected)} in ${report.file}; got ${JSON.stringify(seen)} (counts ${JSON.stringify(report.counts)})`,
    );
  }
  expect(found.severity).toBe(severity);
  expect(RULE_CATALOGUE.map((rule) => rule.id)).toContain(found.rule);
  expect(found.message).toContain(report.file);
  if (expected.row !== undefined) expect(found.message).toMatch(new RegExp(`\\brow(?: index)? ${expected.row}\\b`));
  if (expected.column !== undefined) expect(found.message).toContain(expected.column);
  expect(found.hint.trim().length).toBeGreaterThan(10);
  expect(found.message).toContain(found.hint);
  if (severity === 'error') expect(report.valid).toBe(false);
  return found;
}

/** Valid, and none of these rules fired anywhere in the file (a passing file must not trip the rule it passes). */
export function expectClean(report: ValidationReport, ...rules: string[]): void {
  const fired = report.counts.filter((count) => rules.includes(count.rule));
  if (!report.valid || fired.length > 0) {
    const seen = allFindings(report)
      .slice(0, 5)
      .map(({ rule, column, row, message }) => ({ rule, column, row, message }));
    throw new Error(
      `expected ${report.file} to be valid without ${rules.join(', ') || 'errors'}; got ${JSON.stringify(seen)}`,
    );
  }
}

export interface ChunkLocation {
  readonly rowGroup: number;
  readonly column: string;
  readonly rows: number;
  /** Where the column chunk's first page (dictionary or data) starts. */
  readonly start: number;
  readonly dataPageOffset: number;
  readonly size: number;
}

/** Column chunk locations as DuckDB reports them, to damage a chosen page of a DuckDB-written file. */
export async function chunkLocations(path: string): Promise<ChunkLocation[]> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(
      `SELECT row_group_id, path_in_schema, row_group_num_rows, dictionary_page_offset, data_page_offset, total_compressed_size
       FROM parquet_metadata(${sqlString(path)}) ORDER BY row_group_id, column_id`,
    );
    return reader.getRowObjectsJS().map((row) => ({
      rowGroup: Number(row.row_group_id),
      column: String(row.path_in_schema),
      rows: Number(row.row_group_num_rows),
      start: Number(row.dictionary_page_offset ?? row.data_page_offset),
      dataPageOffset: Number(row.data_page_offset),
      size: Number(row.total_compressed_size),
    }));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
