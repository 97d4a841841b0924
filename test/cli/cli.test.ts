import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCli } from '../../bin/cli/main';
import { suiteDecoder } from '../support/decoder';
import { sink } from '../support/output-sink';
import { closeDuckDb, writeParquetFile } from '../support/duckdb-parquet';

/** Issue 2, item 3: `statsig-s3 validate` over a local mirror of the bucket, as S3 would lay it out. */

const REPO = join(__dirname, '..', '..');
const BIN = join(REPO, 'dist', 'bin', 'statsig-s3.js');

const decoder = suiteDecoder();
let root: string;
const at = (...parts: string[]) => join(root, ...parts);

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function cli(...argv: string[]): Promise<Run> {
  const stdout = sink();
  const stderr = sink();
  const code = await runCli(argv, { stdout, stderr }, () => decoder);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

interface JsonReport {
  file: string;
  dataset: string;
  day?: string;
  valid: boolean;
  rows: number;
  errors: { rule: string; message: string; column?: string; row?: number }[];
  warnings: { rule: string }[];
}

async function cliJson(...argv: string[]): Promise<{ code: number; reports: JsonReport[] }> {
  const run = await cli(...argv, '--json');
  return { code: run.code, reports: JSON.parse(run.stdout) as JsonReport[] };
}

async function write(select: string, ...path: string[]): Promise<string> {
  return writeWith(select, {}, ...path);
}

async function writeWith(select: string, options: { compression?: string }, ...path: string[]): Promise<string> {
  const target = at(...path);
  mkdirSync(dirname(target), { recursive: true });
  return writeParquetFile(select, options, target);
}

const metrics = (date: string, idType = 'user_id') =>
  `SELECT 'u' || range AS unit_id, '${idType}' AS id_type, DATE '${date}' AS date, 'revenue' AS metric_name,
          range::DOUBLE AS metric_value, NULL::DOUBLE AS numerator, NULL::DOUBLE AS denominator FROM range(20)`;
// 2024-01-02 12:00Z onwards: long past whatever clock the CLI reads, never in the future.
const events = (timestamp: string) =>
  `SELECT ${timestamp} AS timestamp, 'click' AS event_name, '{"userID":"u' || range || '"}' AS "user", uuid()::VARCHAR AS timeuuid FROM range(10)`;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'statsig-s3-cli-'));
  await write(metrics('2024-01-02'), 'bucket', 'metrics', '2024-01-02', 'a-good.parquet');
  await write(metrics('2024-01-03'), 'bucket', 'metrics', '2024-01-02', 'b-wrong-day.parquet');
  await write(events('1704196800::BIGINT + range'), 'bucket', 'events', '2024-01-02', 'events.parquet');
  await write(`SELECT DATE '2024-01-01' AS finished_date`, 'bucket', 'signals', '2024-01-01.parquet');
  // Not data, as Spark sees it: the walk must skip these.
  writeFileSync(at('bucket', 'metrics', '2024-01-02', '_SUCCESS'), '');
  writeFileSync(at('bucket', 'metrics', '2024-01-02', '.a-good.parquet.crc'), 'crc');
  await write(metrics('2024-01-02'), 'bucket', 'metrics', '2024-01-02', '_temporary', '0', 'part-0.parquet');
  // Outside the bucket layout.
  await write(metrics('2024-01-02'), 'hive', 'metrics', 'date=2024-01-02', 'part-0.parquet');
  await write(metrics('2024-01-02', 'company_id'), 'custom', 'metrics', '2024-01-02', 'company.parquet');
  await write(events('1704196800000::BIGINT + range'), 'millis', 'events', '2024-01-02', 'ms.parquet');
  await write(metrics('2024-01-02'), 'loose', 'x.parquet');
  // Producer layouts: Athena's data files have no extension; Redshift's UNLOAD … MANIFEST writes JSON beside its parts.
  await write(metrics('2024-01-03'), 'layouts', 'metrics', '2024-01-03', '20240103_athena_0001');
  await write(metrics('2024-01-03'), 'layouts', 'metrics', '2024-01-03', '0000_part_00.parquet');
  writeFileSync(at('layouts', 'metrics', '2024-01-03', 'manifest'), '{"entries":[{"url":"s3://b/0000_part_00"}]}');
  writeFileSync(at('layouts', 'metrics', '2024-01-03', '_SUCCESS'), '');
  mkdirSync(at('empty', 'events', '2024-01-02'), { recursive: true });
  writeFileSync(at('empty', 'events', '2024-01-02', '_SUCCESS'), '');
});

afterAll(async () => {
  await closeDuckDb();
  rmSync(root, { recursive: true, force: true });
});

describe('in-process runCli()', () => {
  it('exits 0 for a valid file and prints a verdict line naming it', async () => {
    const run = await cli('validate', at('bucket', 'metrics', '2024-01-02', 'a-good.parquet'));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^VALID\s+\S*a-good\.parquet/m);
    expect(run.stdout).toContain('1 file: 1 valid, 0 invalid');
  });

  it('exits 1 for an invalid file, printing the error with its fix; the day comes from the folder', async () => {
    const file = at('bucket', 'metrics', '2024-01-02', 'b-wrong-day.parquet');
    const run = await cli('validate', file);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^INVALID\s+\S*b-wrong-day\.parquet/m);
    expect(run.stdout).toContain('metrics.date.folder-mismatch');
    expect(run.stdout).toMatch(/^ {2}error {3}row index 0, column 'date'/m);
    expect(run.stdout).toContain('Fix:');
    // The path once per file, and every finding readable in a 100-column terminal.
    expect(run.stdout.split(file)).toHaveLength(2);
    for (const line of run.stdout.split('\n').filter((text) => !text.includes(file)))
      expect(line.length).toBeLessThanOrEqual(100);
  });

  it('--json prints an array of reports with file, dataset, day, valid, rows, errors and warnings', async () => {
    const { code, reports } = await cliJson('validate', at('bucket', 'metrics', '2024-01-02'));
    expect(code).toBe(1);
    expect(reports.map((report) => [report.file, report.dataset, report.day, report.valid, report.rows])).toEqual([
      [at('bucket', 'metrics', '2024-01-02', 'a-good.parquet'), 'metrics', '2024-01-02', true, 20],
      [at('bucket', 'metrics', '2024-01-02', 'b-wrong-day.parquet'), 'metrics', '2024-01-02', false, 20],
    ]);
    for (const report of reports) {
      expect(Array.isArray(report.errors)).toBe(true);
      expect(Array.isArray(report.warnings)).toBe(true);
    }
    expect(reports[1].errors.every((finding) => finding.rule === 'metrics.date.folder-mismatch')).toBe(true);
    expect(reports[1].errors).toHaveLength(20);
  });

  it('walks a folder for every object the Lambda would judge, whatever its name: Athena and Redshift layouts', async () => {
    const { code, reports } = await cliJson('validate', at('layouts'));
    expect(code).toBe(1);
    const byName = Object.fromEntries(reports.map((report) => [report.file.split(/[\\/]/).pop(), report]));
    expect(Object.keys(byName).sort()).toEqual(['0000_part_00.parquet', '20240103_athena_0001', 'manifest']);
    expect(byName['20240103_athena_0001'].valid).toBe(true);
    expect(byName['0000_part_00.parquet'].valid).toBe(true);
    const [manifest] = byName.manifest.errors as unknown as { rule: string; hint: string }[];
    expect(manifest.rule).toBe('parquet.not-parquet');
    expect(manifest.hint).toContain('UNLOAD … MANIFEST');
  });

  it.each([
    ['_SUCCESS', () => at('bucket', 'metrics', '2024-01-02', '_SUCCESS'), /completion marker/],
    ['a .crc file', () => at('bucket', 'metrics', '2024-01-02', '.a-good.parquet.crc'), /not data/],
    [
      'a file under _temporary/',
      () => at('bucket', 'metrics', '2024-01-02', '_temporary', '0', 'part-0.parquet'),
      /'_temporary' is not data/,
    ],
  ])('names %s as ignored with the reason, and leaves the exit code alone', async (_label, path, reason) => {
    const good = at('bucket', 'metrics', '2024-01-02', 'a-good.parquet');
    const run = await cli('validate', path(), good);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^IGNORED +${path().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `, 'm'));
    expect(run.stdout).toMatch(reason);
    expect(run.stdout).toContain('1 file: 1 valid, 0 invalid');
    expect((await cli('validate', path())).code).toBe(0);
  });

  it("--severity-overrides takes the construct's severityOverrides: a downgraded rule no longer fails the file", async () => {
    const file = at('bucket', 'metrics', '2024-01-02', 'b-wrong-day.parquet');
    const run = await cli('validate', file, '--severity-overrides', 'metrics.date.folder-mismatch=warning');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('(an error by default, overridden)');
  });

  it('refuses, with exit 2 naming the rule, to downgrade a rule that makes a file unreadable', async () => {
    const run = await cli('validate', at('bucket'), '--severity-overrides', 'parquet.corrupt=warning,nope=error');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('"parquet.corrupt" cannot be downgraded');
    expect(run.stderr).toContain('"nope" is not a rule id');
  });

  it('says so, and exits 0, for a folder with nothing to judge', async () => {
    const run = await cli('validate', at('empty'));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`nothing to judge under ${at('empty')}`);
  });

  it('names its own flag when a timestamp fits the other unit', async () => {
    const run = await cliJson('validate', at('millis', 'events', '2024-01-02', 'ms.parquet'));
    const [finding] = run.reports[0].errors as unknown as { hint: string }[];
    expect(finding.hint).toContain('--timestamp-unit');
    expect(finding.hint).not.toContain('construct');
  });

  it('walks a whole mirror, skipping _ and . entries, and takes each dataset from its path', async () => {
    const run = await cli('validate', at('bucket'), '--json');
    const reports = JSON.parse(run.stdout) as JsonReport[];
    expect(
      reports
        .map((report) => [
          report.file
            .slice(root.length + 1)
            .split(/[\\/]/)
            .join('/'),
          report.dataset,
          report.valid,
        ])
        .sort(),
    ).toEqual([
      ['bucket/events/2024-01-02/events.parquet', 'events', true],
      ['bucket/metrics/2024-01-02/a-good.parquet', 'metrics', true],
      ['bucket/metrics/2024-01-02/b-wrong-day.parquet', 'metrics', false],
      ['bucket/signals/2024-01-01.parquet', 'signals', true],
    ]);
    expect(run.code).toBe(1);
    // Progress for many files goes to stderr, never into the JSON.
    expect(run.stderr).toMatch(/\[1\/4\]/);
  });

  it('judges a file in a Hive-style folder invalid', async () => {
    const { code, reports } = await cliJson('validate', at('hive'));
    expect(code).toBe(1);
    expect(reports).toHaveLength(1);
    expect(reports[0].valid).toBe(false);
    expect(reports[0].errors.map((finding) => finding.rule)).toEqual(['path.hive-folder']);
    expect(reports[0].errors[0].message).toContain('metrics/2024-01-02/');
  });

  it('--dataset overrides the path', async () => {
    const file = at('bucket', 'metrics', '2024-01-02', 'a-good.parquet');
    const { code, reports } = await cliJson('validate', file, '--dataset', 'events');
    expect(code).toBe(1);
    expect(reports[0].dataset).toBe('events');
    expect(reports[0].errors.map((finding) => finding.rule)).toContain('schema.missing-column');
  });

  it('--dataset names the dataset of a file outside any mirror', async () => {
    expect((await cli('validate', at('loose', 'x.parquet'), '--dataset', 'metrics')).code).toBe(0);
  });

  it('--id-types adds the project’s custom ID types', async () => {
    const file = at('custom', 'metrics', '2024-01-02', 'company.parquet');
    const without = await cliJson('validate', file);
    expect(without.code).toBe(1);
    expect(without.reports[0].errors[0].rule).toBe('metrics.id_type.unknown');
    // As the construct's idTypes: the flag adds to user_id and stable_id, it does not replace them.
    expect((await cli('validate', file, '--id-types', 'company_id')).code).toBe(0);
    expect(
      (await cli('validate', at('bucket', 'metrics', '2024-01-02', 'a-good.parquet'), '--id-types', 'company_id')).code,
    ).toBe(0);
  });

  it('--timestamp-unit milliseconds reads integer timestamps as milliseconds', async () => {
    const file = at('millis', 'events', '2024-01-02', 'ms.parquet');
    const seconds = await cliJson('validate', file);
    expect(seconds.code).toBe(1);
    expect(seconds.reports[0].errors[0].rule).toBe('events.timestamp.range');
    expect((await cli('validate', file, '--timestamp-unit', 'milliseconds')).code).toBe(0);
  });

  it('--memory-budget and --decoders size the decoder', async () => {
    const asked: [number, number | undefined][] = [];
    const file = at('bucket', 'metrics', '2024-01-02', 'a-good.parquet');
    const argv = ['validate', file, '--memory-budget', '2048', '--decoders', '3'];
    const code = await runCli(argv, { stdout: sink(), stderr: sink() }, (budget, decoders) => {
      asked.push([budget, decoders]);
      return decoder;
    });
    expect(code).toBe(0);
    expect(asked).toEqual([[2048 * 1024 * 1024, 3]]);
  });

  it.each([
    ['a file whose path names no dataset', () => ['validate', at('loose', 'x.parquet')]],
    ['no path', () => ['validate']],
    ['an unknown dataset', () => ['validate', at('bucket'), '--dataset', 'users']],
    ['an unknown timestamp unit', () => ['validate', at('bucket'), '--timestamp-unit', 'minutes']],
    ['an unknown command', () => ['check', at('bucket')]],
    ['an unknown option', () => ['validate', at('bucket'), '--fast']],
    ['a memory budget below what a decoder needs', () => ['validate', at('bucket'), '--memory-budget', '32']],
    ['no decoders', () => ['validate', at('bucket'), '--decoders', '0']],
    ['a decoder count that is no number', () => ['validate', at('bucket'), '--decoders', 'two']],
  ])('exits 2 with the usage for %s', async (_label, argv) => {
    const run = await cli(...argv());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Usage: statsig-s3 validate');
    expect(run.stdout).toBe('');
  });

  it('exits 2 for a path that does not exist', async () => {
    const run = await cli('validate', at('nowhere', 'metrics', '2024-01-02', 'x.parquet'));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/statsig-s3: .*nowhere/);
  });

  it('--help prints the usage and exits 0', async () => {
    const run = await cli('--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: statsig-s3 validate');
  });
});

describe('the compiled bin', () => {
  const spawnBin = (...argv: string[]) =>
    spawnSync(process.execPath, [BIN, ...argv], { encoding: 'utf8', timeout: 60_000 });

  it('is built (npm test builds before jest)', () => {
    expect(existsSync(BIN)).toBe(true);
  });

  it('validates a mirror folder as the in-process CLI does', () => {
    const result = spawnBin('validate', at('bucket', 'metrics', '2024-01-02'), '--json');
    expect(result.signal).toBeNull();
    expect(result.status).toBe(1);
    const reports = JSON.parse(result.stdout) as JsonReport[];
    expect(reports.map((report) => report.valid)).toEqual([true, false]);
    expect(reports[1].errors[0].rule).toBe('metrics.date.folder-mismatch');
  });

  it('exits 2 with the usage for a path outside any mirror', () => {
    const result = spawnBin('validate', at('loose', 'x.parquet'));
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Usage: statsig-s3 validate');
  });

  /**
   * Found by the fuzz test: hyparquet 1.33.0's readRle writes as many values as a run header claims, without
   * stopping at the page's value count. A corrupt run length grows a JS array past V8's limit and V8 aborts the
   * whole process, which a worker thread cannot contain: this is why decoding runs in child processes.
   */
  it('gives a verdict, not a crashed process, for a corrupt RLE run length', async () => {
    const file = await writeWith(
      `SELECT 'u' || range AS unit_id, 'user_id' AS id_type, DATE '2024-01-02' AS date, 'revenue' AS metric_name,
              range::DOUBLE AS metric_value, NULL::DOUBLE AS numerator, NULL::DOUBLE AS denominator FROM range(2048)`,
      { compression: 'uncompressed' },
      'rle',
      'metrics',
      '2024-01-02',
      'rle.parquet',
    );
    // uncompressed metric_value page of 2048 non-null doubles: its definition levels are one RLE run,
    // [u32 length 3][varint 2048<<1 = 0x80 0x20][level 0x01]. Make the run 134217727 values long.
    const bytes = new Uint8Array(readFileSync(file));
    const run = [0x03, 0x00, 0x00, 0x00, 0x80, 0x20, 0x01];
    const found: number[] = [];
    for (let i = 0; i + run.length <= bytes.length; i++)
      if (run.every((byte, j) => bytes[i + j] === byte)) found.push(i);
    expect(found.length).toBeGreaterThan(0);
    bytes.set([0xfe, 0xff, 0xff, 0x7f], found[0] + 4);
    writeFileSync(file, bytes);
    const result = spawnBin('validate', file, '--json');
    expect(result.signal).toBeNull();
    expect(result.status).toBe(1);
    expect((JSON.parse(result.stdout) as JsonReport[])[0].errors[0].rule).toMatch(/^parquet\./);
  });
});
