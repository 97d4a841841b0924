import { FILE_RULES } from '../../lambda/validation/contracts';
import { runCli } from '../../bin/cli/main';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../doubles/s3-server';
import { eventsWithMisspelledUserId, validEvents } from '../handler/fixtures';
import { VERDICT_RESERVE_MS } from '../../lambda/handler/handler';
import { BUCKET, invocation, startWorld, type World } from '../handler/world';
import { closeDuckDb } from '../support/duckdb-parquet';
import { sink } from '../support/output-sink';
import { completeDay, emptyBucket, expectAcknowledged, marker, validFile } from '../readiness/day-fixtures';

/**
 * Issue 15, item 3: `statsig-s3 status` says why a day is or is not published, read from the bucket the function
 * writes, with the function's own readiness code. The bucket is the local S3 server; the handler makes the state as
 * it does in Lambda; time is injected into both.
 */
let world: World;
let nowMs = 0;

beforeAll(async () => {
  process.env.AWS_ACCESS_KEY_ID = LOCAL_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = LOCAL_CREDENTIALS.secretAccessKey;
  world = await startWorld({ now: () => nowMs, config: { datasets: ['events'] } });
});
afterAll(async () => {
  await world.stop();
  await closeDuckDb();
});
beforeEach(() => emptyBucket(world));

/** The flags say what the world's function configuration says. */
function status(...flags: string[]) {
  return statusWith('--start-day', '2024-01-01', ...flags);
}

async function statusWith(...flags: string[]) {
  const stdout = sink();
  const stderr = sink();
  const argv = ['status', `s3://${BUCKET}`, '--datasets', 'events', ...flags];
  const endpoint = ['--endpoint-url', world.server.endpoint, '--region', LOCAL_REGION];
  const code = await runCli(
    [...argv, ...endpoint],
    { stdout, stderr },
    () => world.decoder,
    () => nowMs,
  );
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/** A file the handler rejects after the day's marker was written: the day waits for a fix and a new marker. */
async function rejectedAfterMarker(day: string): Promise<string> {
  await validFile(world, 'events', day);
  const key = `events/${day}/part-1.parquet`;
  const etag = await world.upload(key, await eventsWithMisspelledUserId());
  await marker(world, 'events', day);
  await expectAcknowledged(world.notify(key, etag));
  return key;
}

test('a day blocked by a file quarantined after its marker, past its grace period, and the complete day held behind it', async () => {
  nowMs = Date.parse('2024-05-04T12:00:00Z');
  await completeDay(world, '2024-05-01', ['events']);
  const key = await rejectedAfterMarker('2024-05-02');
  await completeDay(world, '2024-05-03', ['events']);

  const run = await status();
  expect(run.stderr).toBe('');
  expect(run.code).toBe(1);
  expect(run.stdout.split('\n')).toEqual([
    `s3://${BUCKET}: readiness at 2024-05-04T12:00:00Z (Statsig's day 2024-05-04, UTC−8)`,
    'start day 2024-01-01 (the readinessStartDay prop)',
    '',
    'signals (events)',
    '  last published   2024-05-01',
    '  blocked at       2024-05-02 events: a file was quarantined after _SUCCESS; STALLED 28 h after the day ended',
    `                     look at: _quarantine/${key}`,
    '                     to release: read its report under _reports/, fix the file and upload it again into the day folder, then upload _SUCCESS again to re-arm the day',
    '  held             2024-05-03 (complete, behind 2024-05-02)',
    '',
  ]);
});

test('past the grace period the blocked day is a stall: said in the line and in the exit code', async () => {
  nowMs = Date.parse('2024-05-02T12:00:00Z');
  await rejectedAfterMarker('2024-05-01');
  nowMs = Date.parse('2024-05-02T20:00:00Z');

  const late = await status();
  expect(late.code).toBe(1);
  expect(late.stdout).toContain(
    '  blocked at       2024-05-01 events: a file was quarantined after _SUCCESS; STALLED 12 h after the day ended',
  );
  // The same bucket with a grace period the day has not yet passed (the construct's prop, as a flag).
  const patient = await status('--grace-hours', '24');
  expect(patient.code).toBe(0);
  expect(patient.stdout).not.toContain('STALLED');
});

test('files without a verdict are named under the day they block', async () => {
  nowMs = Date.parse('2024-05-03T12:00:00Z');
  await validFile(world, 'events', '2024-05-01');
  await world.upload('events/2024-05-01/part-1.parquet', 'not yet judged');
  await world.upload('events/2024-05-01/_SUCCESS', '');

  const run = await status('--json');
  expect(run.code).toBe(1);
  const [target] = (JSON.parse(run.stdout) as { targets: Record<string, unknown>[] }).targets;
  expect(target).toMatchObject({
    target: 'signals',
    datasets: ['events'],
    blocking: {
      day: '2024-05-01',
      reason: 'pending',
      pendingFiles: 1,
      pending: ['events/2024-05-01/part-1.parquet'],
      stalled: true,
    },
  });
  expect((await status()).stdout).toContain(
    '1 file without a verdict:\n                       events/2024-05-01/part-1.parquet',
  );
});

test('a file too large to judge in one invocation blocks its day, and status says to split it', async () => {
  nowMs = Date.parse('2024-05-02T10:00:00Z');
  await validFile(world, 'events', '2024-05-01');
  const key = 'events/2024-05-01/huge.parquet';
  const etag = await world.upload(key, await validEvents(20));
  await marker(world, 'events', '2024-05-01');
  // The invocation has no time left beyond what it keeps to announce a verdict.
  await expectAcknowledged(world.notify(key, etag, invocation(VERDICT_RESERVE_MS)));

  const run = await status();
  expect(run.stdout).toContain(
    '  blocked at       2024-05-01 events: a file is too large to judge in one invocation\n',
  );
  expect(run.stdout).toContain(`look at: ${key}\n`);
  expect(run.stdout).toContain(`to release: ${FILE_RULES.tooLarge.hint}`);
});

test('days before the start day are outside the lookback: listed, never blocking', async () => {
  nowMs = Date.parse('2024-05-10T12:00:00Z');
  await validFile(world, 'events', '2024-03-01');
  await validFile(world, 'events', '2024-03-02');
  await completeDay(world, '2024-05-08', ['events']);

  const run = await status('--start-day', '2024-05-01');
  // The last flag wins, as parseArgs reads them: the function's start day stays 2024-01-01.
  expect(run.code).toBe(0);
  expect(run.stdout).toContain('start day 2024-05-01 (the readinessStartDay prop)');
  expect(run.stdout).toContain(
    'outside the lookback: 2 days with data before 2024-05-01 (2024-03-01 … 2024-03-02): never published, never blocking',
  );
});

test('with no start day given or recorded, status names the one the first evaluation will record', async () => {
  nowMs = Date.parse('2024-05-04T12:00:00Z');
  const run = await statusWith();
  expect(run.code).toBe(0);
  expect(run.stdout).toContain('start day 2024-04-06 (what the first evaluation will record: 28 days back)');
});

test('api mode describes a target per dataset', async () => {
  nowMs = Date.parse('2024-05-03T12:00:00Z');
  await validFile(world, 'events', '2024-05-01');
  const run = await status('--readiness', 'api', '--json');
  const targets = (JSON.parse(run.stdout) as { targets: { target: string }[] }).targets;
  expect(targets.map((target) => target.target)).toEqual(['events']);
});

test('a flag the construct would refuse is refused with its name, exit 2', async () => {
  const run = await status('--grace-hours', '500', '--start-day', '2024-02-30');
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('--start-day: must be a calendar day YYYY-MM-DD, got "2024-02-30"');
  expect(run.stderr).toContain('--grace-hours: must be a number of hours from 0 to 168, got 500');
});
