import { runCli } from '../../bin/cli/main';
import { suiteDecoder } from '../support/decoder';
import { closeDuckDb, writeParquet } from '../support/duckdb-parquet';
import { sink } from '../support/output-sink';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../doubles/s3-server';
import { BUCKET, startWorld, type World } from '../handler/world';

/** Issue 15, item 5: `statsig-s3 restore` puts quarantined objects back, to be judged again. */

const decoder = suiteDecoder();
let world: World;

const companyMetrics = (date: string) =>
  writeParquet(
    `SELECT 'c' || range AS unit_id, 'company_id' AS id_type, DATE '${date}' AS date, 'revenue' AS metric_name,
            range::DOUBLE AS metric_value, NULL::DOUBLE AS numerator, NULL::DOUBLE AS denominator FROM range(5)`,
  );

async function cli(...argv: string[]) {
  const stdout = sink();
  const stderr = sink();
  const code = await runCli(
    ['restore', ...argv, '--endpoint-url', world.server.endpoint, '--region', LOCAL_REGION],
    { stdout, stderr },
    decoder,
  );
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/** A file the handler rejects for its ID type (this project has no company_id yet), so quarantines. */
async function quarantined(key: string): Promise<void> {
  await world.notify(key, await world.upload(key, await companyMetrics(key.split('/')[1])));
  expect(await world.exists(`_quarantine/${key}`)).toBe(true);
  expect(await world.exists(key)).toBe(false);
}

beforeAll(async () => {
  process.env.AWS_ACCESS_KEY_ID = LOCAL_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = LOCAL_CREDENTIALS.secretAccessKey;
  world = await startWorld({ config: { idTypes: ['user_id', 'stable_id'] } });
});

afterAll(async () => {
  await world.stop();
  await Promise.all([decoder.close(), closeDuckDb()]);
});

it('copies each object back to its original key, then leaves quarantine; the handler judges it anew', async () => {
  const key = 'metrics/2024-05-01/part 1.parquet';
  await quarantined(key);
  const run = await cli(`s3://${BUCKET}/_quarantine/metrics/2024-05-01/`, '--yes');
  expect(run.code).toBe(0);
  expect(run.stdout).toContain(`RESTORED s3://${BUCKET}/_quarantine/${key} → s3://${BUCKET}/${key}`);
  expect(run.stdout).toContain('1 object restored, 0 refused');
  expect(await world.exists(key)).toBe(true);
  expect(await world.exists(`_quarantine/${key}`)).toBe(false);

  world.reset();
  await world.notify(key);
  // Judged again (not the stored verdict reused), and still rejected: this project still lacks the ID type.
  expect(world.logs.find((log) => log.outcome)?.outcome).toMatchObject({ kind: 'rejected', reused: false });
});

it('changes nothing without --yes, saying what it would do', async () => {
  const key = 'metrics/2024-05-02/a.parquet';
  await quarantined(key);
  const run = await cli(`s3://${BUCKET}/_quarantine/${key}`);
  expect(run.code).toBe(0);
  expect(run.stdout).toContain(`WOULD    s3://${BUCKET}/_quarantine/${key} → s3://${BUCKET}/${key}`);
  expect(run.stdout).toContain('1 object would be restored (dry run: nothing changed; --yes restores)');
  expect(await world.exists(key)).toBe(false);
  expect(await world.exists(`_quarantine/${key}`)).toBe(true);
});

it('refuses to overwrite a newer object at the original key', async () => {
  const key = 'metrics/2024-05-03/a.parquet';
  await quarantined(key);
  await world.server.advanceClock(5_000);
  await world.upload(key, 'a newer upload');
  const run = await cli(`s3://${BUCKET}/_quarantine/${key}`, '--yes');
  expect(run.code).toBe(1);
  expect(run.stdout).toMatch(/^REFUSED .*holds a newer object/m);
  expect(await world.exists(`_quarantine/${key}`)).toBe(true);
});

it('tells the re-arm step for a day whose marker was written before the quarantine, and only for it', async () => {
  const marked = 'metrics/2024-05-04/a.parquet';
  const unmarked = 'metrics/2024-05-05/a.parquet';
  await world.upload('metrics/2024-05-04/_SUCCESS', '');
  await quarantined(marked);
  await quarantined(unmarked);
  const run = await cli(`s3://${BUCKET}/_quarantine/${marked}`, `s3://${BUCKET}/_quarantine/${unmarked}`, '--yes');
  expect(run.code).toBe(0);
  const rearm = run.stdout.split('\n').filter((line) => line.startsWith('then upload'));
  expect(rearm).toEqual([
    `then upload s3://${BUCKET}/metrics/2024-05-04/_SUCCESS again: the day waits for a marker written after its quarantine`,
  ]);
});

it('refuses keys outside the quarantine', async () => {
  const run = await cli(`s3://${BUCKET}/metrics/2024-05-01/`);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('restore takes only keys under _quarantine/');
});
