import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeDuckDb, writeParquetFile } from '../support/duckdb-parquet';

/**
 * `npm start`: the compiled local run, as a user starts it (npm test builds before jest). Run as a process, so
 * that anything it left running would keep it from exiting and fail the test on the timeout.
 */
const LOCAL_RUN = join(__dirname, '..', '..', 'dist', 'bin', 'local-run.js');
const run = (...args: string[]) =>
  spawnSync(process.execPath, [LOCAL_RUN, ...args], { encoding: 'utf8', timeout: 90_000 });

/** The run's exit code, with everything it printed when that is not the one expected, so a failure explains itself. */
function expectExit(result: ReturnType<typeof run>, code: number): void {
  if (result.status !== code)
    throw new Error(
      `exit ${result.status} (signal ${result.signal}), expected ${code}\n${result.stdout}\n${result.stderr}`,
    );
}

describe('npm start', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'local-run-'));

  afterAll(async () => {
    await closeDuckDb();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('tells the whole story: a rejection with its fix, a hold and its status, then both days published in order', () => {
    const result = run();
    expectExit(result, 0);
    const out = result.stdout;
    const order = [
      /✖ rejected +metrics\/(\d{4}-\d{2}-\d{2})\/part-00002\.parquet/,
      /Fix: did you mean 'user_id'\?/,
      /moved to _quarantine\/metrics\/\d{4}-\d{2}-\d{2}\/part-00002\.parquet/,
      /⏸ readiness held: (\S+) complete but not published, because (\S+) is not complete/,
      /⌛ waiting past the grace period: (\S+) \(quarantined-after-marker\), look at _quarantine\/metrics\/\S+\/part-00002\.parquet/,
      /✉ alert to the SNS topic: Statsig S3: (\S+) not published \(signals\): a file was quarantined after _SUCCESS/,
      /statsig-s3 status s3:\/\/\S+\n/,
      /last published +none yet\n +blocked at +(\S+) metrics: a file was quarantined after _SUCCESS/,
      /look at: _quarantine\/metrics\/\S+\/part-00002\.parquet/,
      /held +(\S+) \(complete, behind (\S+)\)/,
      /✔ valid +metrics\/\d{4}-\d{2}-\d{2}\/part-00002\.parquet/,
      /★ day ready +(\S+): Statsig may load it, signalled by signals\/\S+\.parquet/,
      /★ day ready +(\S+): Statsig may load it/,
      /✔ valid +signals\/\S+\.parquet +\(1 row\)/,
      /statsig-s3 status s3:\/\/\S+\n/,
      /last published +(\S+)\n +waiting +nothing/,
      /files validated: 12, rejected and quarantined: 1/,
      /days published: 2, readiness holds: 1, alerts: 3/,
    ];
    let from = 0;
    const found = order.map((pattern) => {
      const match = pattern.exec(out.slice(from));
      expect(match).not.toBeNull();
      from += match!.index + match![0].length;
      return match!;
    });
    const brokenDay = found[0][1];
    const [held, blocking] = [found[3][1], found[3][2]];
    expect(blocking).toBe(brokenDay);
    expect(held > blocking).toBe(true);
    // The blocking day publishes first, then the day it held.
    // The day that ended longest ago stalled past the grace period: an event and an alert name it and the object.
    expect([found[4][1], found[5][1]]).toEqual([brokenDay, brokenDay]);
    // statsig-s3 status says the same, then that both days are published.
    expect([found[7][1], found[9][1], found[9][2]]).toEqual([blocking, held, blocking]);
    expect([found[11][1], found[12][1]]).toEqual([blocking, held]);
    expect(found[15][1]).toBe(held);
    expect(result.stderr).toBe('');
  });

  it('validates your own files from a mirror of the bucket', async () => {
    const mirror = join(scratch, 'mirror');
    const day = '2024-01-09';
    mkdirSync(join(mirror, 'metrics', day), { recursive: true });
    const metric = (idType: string) =>
      `SELECT 'u' || range AS unit_id, '${idType}' AS id_type, DATE '${day}' AS date, 'revenue' AS metric_name,
              range::DOUBLE AS metric_value, NULL::DOUBLE AS numerator, NULL::DOUBLE AS denominator FROM range(50)`;
    await writeParquetFile(metric('user_id'), {}, join(mirror, 'metrics', day, 'good.parquet'));
    await writeParquetFile(metric('User_ID'), {}, join(mirror, 'metrics', day, 'bad.parquet'));
    writeFileSync(join(mirror, 'metrics', day, '_SUCCESS'), '');

    const result = run('--files', mirror);
    expectExit(result, 0);
    expect(result.stdout).toMatch(new RegExp(`✔ valid +metrics/${day}/good\\.parquet +\\(50 rows\\)`));
    expect(result.stdout).toMatch(
      new RegExp(`✖ rejected +metrics/${day}/bad\\.parquet +\\(50 errors: metrics\\.id_type\\.unknown ×50\\)`),
    );
    expect(result.stdout).toContain("did you mean 'user_id'?");
    expect(result.stdout).toMatch(/files validated: 1, rejected and quarantined: 1/);
  });

  it('keeps the bucket in a folder when asked, and refuses a folder that is not empty', () => {
    const kept = join(scratch, 'kept');
    expectExit(run('--keep', kept), 0);
    const again = run('--keep', kept);
    expectExit(again, 2);
    expect(again.stderr).toContain('--keep needs a new or empty folder');
  });
});
