import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { Writable } from 'node:stream';
import { runCli } from '../../bin/cli/main';
import { suiteDecoder } from '../support/decoder';
import { closeDuckDb, writeParquetFile } from '../support/duckdb-parquet';

/**
 * Issue 2, "Done when": the CLI gives the verdicts the spec demands on DuckDB-written files. Each row is a spec
 * statement, a bucket key, and SQL a data engineer might write; the whole mirror is judged in one CLI run, so the
 * verdict comes from the path as it would in S3 and from nothing the test tells the validator.
 */
interface Case {
  readonly spec: string;
  readonly key: string;
  readonly select: string;
  readonly valid: boolean;
  /** A rule the verdict must carry (error when invalid, warning when valid). */
  readonly rule?: string;
}

const day = '2023-11-05';
const user = `'{"userID":"u' || range || '"}'`;
const event = (columns: Record<string, string>) => {
  const all = {
    timestamp: `1699200000::BIGINT + range`,
    event_name: `'checkout'`,
    user,
    timeuuid: `uuid()::VARCHAR`,
    ...columns,
  };
  return `SELECT ${Object.entries(all)
    .filter(([, sql]) => sql !== '')
    .map(([name, sql]) => `${sql} AS "${name}"`)
    .join(', ')} FROM range(50)`;
};
const metric = (columns: Record<string, string>, rows = 50) => {
  const all = {
    unit_id: `'u' || range`,
    id_type: `'stable_id'`,
    date: `DATE '${day}'`,
    metric_name: `'purchases'`,
    metric_value: `range::DOUBLE`,
    numerator: `NULL::DOUBLE`,
    denominator: `NULL::DOUBLE`,
    ...columns,
  };
  return `SELECT ${Object.entries(all)
    .filter(([, sql]) => sql !== '')
    .map(([name, sql]) => `${sql} AS "${name}"`)
    .join(', ')} FROM range(${rows})`;
};

const CASES: Case[] = [
  { spec: '§2 timestamp INT64 epoch seconds', key: `events/${day}/seconds.parquet`, select: event({}), valid: true },
  {
    spec: '§2 timestamp as a TIMESTAMP logical type',
    key: `events/${day}/ts.parquet`,
    select: event({ timestamp: `TIMESTAMP '${day} 10:00:00' + to_seconds(range)` }),
    valid: true,
  },
  {
    spec: '§2 timestamp in milliseconds under the seconds default: error',
    key: `events/${day}/millis.parquet`,
    select: event({ timestamp: `1699200000000::BIGINT + range` }),
    valid: false,
    rule: 'events.timestamp.range',
  },
  {
    spec: '§2 event_name of 128 characters: error',
    key: `events/${day}/long-name.parquet`,
    select: event({ event_name: `repeat('x', 128)` }),
    valid: false,
    rule: 'events.event_name.length',
  },
  {
    spec: '§2 a space in event_name: warning',
    key: `events/${day}/space.parquet`,
    select: event({ event_name: `'check out'` }),
    valid: true,
    rule: 'events.event_name.space',
  },
  {
    spec: '§2 user without userID or customIDs: error',
    key: `events/${day}/no-id.parquet`,
    select: event({ user: `'{"email":"a@b.c"}'` }),
    valid: false,
    rule: 'events.user.id-missing',
  },
  {
    spec: '§2 user key userId: error with a hint',
    key: `events/${day}/userid.parquet`,
    select: event({ user: `'{"userId":"u1"}'` }),
    valid: false,
    rule: 'events.user.key-case',
  },
  {
    spec: '§2 user as a STRUCT: error',
    key: `events/${day}/struct.parquet`,
    select: event({ user: `{'userID': 'u' || range}` }),
    valid: false,
    rule: 'schema.nested-column',
  },
  {
    spec: '§2 event_metadata not an object: error',
    key: `events/${day}/meta.parquet`,
    select: event({ event_metadata: `'[1,2]'` }),
    valid: false,
    rule: 'events.event_metadata.json',
  },
  {
    spec: '§2 absent timeuuid: warning',
    key: `events/${day}/no-uuid.parquet`,
    select: event({ timeuuid: '' }),
    valid: true,
    rule: 'schema.recommended-column',
  },
  {
    spec: '§2 another column: warning',
    key: `events/${day}/extra.parquet`,
    select: event({ platform: `'ios'` }),
    valid: true,
    rule: 'schema.unknown-column',
  },
  {
    spec: '§3 string dates equal to the folder',
    key: `metrics/${day}/string-date.parquet`,
    select: metric({ date: `'${day}'` }),
    valid: true,
  },
  {
    spec: '§3 a date not equal to the day folder: error',
    key: `metrics/${day}/other-day.parquet`,
    select: metric({ date: `DATE '2023-11-04'` }),
    valid: false,
    rule: 'metrics.date.folder-mismatch',
  },
  {
    spec: '§3 id_type near miss Stable_ID: error',
    key: `metrics/${day}/stable.parquet`,
    select: metric({ id_type: `'Stable_ID'` }),
    valid: false,
    rule: 'metrics.id_type.unknown',
  },
  {
    spec: '§3 metric_value as DECIMAL: error',
    key: `metrics/${day}/decimal.parquet`,
    select: metric({ metric_value: `range::DECIMAL(12, 2)` }),
    valid: false,
    rule: 'schema.wrong-type',
  },
  {
    spec: '§3 unused number columns omitted: error',
    key: `metrics/${day}/no-ratio.parquet`,
    select: metric({ numerator: '', denominator: '' }),
    valid: false,
    rule: 'schema.missing-column',
  },
  {
    spec: '§3 Infinity: error',
    key: `metrics/${day}/inf.parquet`,
    select: metric({ metric_value: `CASE WHEN range = 40 THEN 'Infinity'::DOUBLE ELSE range END` }),
    valid: false,
    rule: 'metrics.number.non-finite',
  },
  {
    spec: '§3 ratio metric mixed with value rows: warning',
    key: `metrics/${day}/mixed.parquet`,
    select: metric({
      metric_value: `CASE WHEN range < 10 THEN range::DOUBLE END`,
      numerator: `CASE WHEN range >= 10 THEN 1::DOUBLE END`,
      denominator: `CASE WHEN range >= 10 THEN 2::DOUBLE END`,
    }),
    valid: true,
    rule: 'metrics.ratio.mixed',
  },
  {
    spec: '§3 duplicate key: warning',
    key: `metrics/${day}/dupes.parquet`,
    select: metric({ unit_id: `'u' || (range % 25)` }),
    valid: true,
    rule: 'metrics.duplicate-key',
  },
  {
    spec: '§3 Unit_ID mis-cased: error',
    key: `metrics/${day}/case.parquet`,
    select: metric({ unit_id: '', Unit_ID: `'u' || range` }),
    valid: false,
    rule: 'schema.column-case',
  },
  {
    spec: '§6 zero rows: warning',
    key: `metrics/${day}/empty.parquet`,
    select: metric({}, 0),
    valid: true,
    rule: 'file.empty',
  },
  {
    spec: '§1 Hive-style folder: error',
    key: `metrics/date=${day}/part-0.parquet`,
    select: metric({}),
    valid: false,
    rule: 'path.hive-folder',
  },
  {
    spec: '§4 a finished day as DATE',
    key: `signals/${day}.parquet`,
    select: `SELECT DATE '${day}' AS finished_date`,
    valid: true,
  },
  {
    spec: '§4 any other column: error',
    key: `signals/2023-11-04.parquet`,
    select: `SELECT DATE '2023-11-04' AS finished_date, 1 AS version`,
    valid: false,
    rule: 'schema.unknown-column',
  },
  {
    spec: '§4 a day that has not ended: error',
    key: `signals/2999-01-01.parquet`,
    select: `SELECT DATE '2999-01-01' AS finished_date`,
    valid: false,
    rule: 'signals.finished_date.not-ended',
  },
];

let root: string;

interface JsonReport {
  file: string;
  valid: boolean;
  errors: { rule: string; message: string }[];
  warnings: { rule: string; message: string }[];
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'statsig-s3-spec-'));
  for (const { key, select } of CASES) {
    const path = join(root, ...key.split('/'));
    mkdirSync(dirname(path), { recursive: true });
    await writeParquetFile(select, {}, path);
  }
});

const decoder = suiteDecoder();

afterAll(async () => {
  await closeDuckDb();
  rmSync(root, { recursive: true, force: true });
});

it('judges a mirror of spec cases as the spec demands, in one CLI run', async () => {
  const chunks: string[] = [];
  const stdout = new Writable({ write: (chunk, _encoding, done) => done(void chunks.push(String(chunk))) });
  const stderr = new Writable({ write: (_chunk, _encoding, done) => done() });
  const code = await runCli(['validate', root, '--json'], { stdout, stderr }, () => decoder);
  const reports = JSON.parse(chunks.join('')) as JsonReport[];
  const byKey = new Map(reports.map((report) => [relative(root, report.file).split(sep).join('/'), report]));

  const mismatches = CASES.flatMap((spec) => {
    const report = byKey.get(spec.key);
    if (!report) return [`${spec.spec}: ${spec.key} was not validated`];
    const findings = spec.valid ? report.warnings : report.errors;
    const problems: string[] = [];
    if (report.valid !== spec.valid)
      problems.push(
        `expected ${spec.valid ? 'valid' : 'invalid'}, got ${JSON.stringify(report.errors.map((finding) => finding.message))}`,
      );
    if (spec.rule && !findings.some((finding) => finding.rule === spec.rule))
      problems.push(
        `expected rule ${spec.rule}, got ${JSON.stringify([...report.errors, ...report.warnings].map((finding) => finding.rule))}`,
      );
    if (findings.some((finding) => !finding.message.includes(report.file)))
      problems.push('a message does not name the file');
    return problems.map((problem) => `${spec.spec} (${spec.key}): ${problem}`);
  });
  expect(mismatches).toEqual([]);
  expect(reports).toHaveLength(CASES.length);
  expect(code).toBe(1);
});
