import { closeDuckDb } from '../support/duckdb-parquet';
import { startWorld, type World } from '../handler/world';
import { completeDay, dayReadyEvents, emptyBucket, marker, validFile } from './day-fixtures';
import { StatsigApiStandIn } from './statsig-api-stand-in';

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:statsig-server-AbCdEf';

let world: World;
let statsig: StatsigApiStandIn;

beforeAll(async () => {
  statsig = await StatsigApiStandIn.start();
  world = await startWorld({
    config: { readiness: { mode: 'api', secretArn: SECRET_ARN, baseUrl: statsig.baseUrl } },
  });
});
afterAll(async () => {
  await world.stop();
  await statsig.stop();
  await closeDuckDb();
});
beforeEach(async () => {
  await emptyBucket(world);
  statsig.clear();
  world.recorder.secrets.set(SECRET_ARN, 'secret-statsig-server-key\n');
});

/** The start of D+1 in UTC−8, in unix seconds: what closes D. */
const closing = (day: string) => Date.parse(`${day}T08:00:00Z`) / 1000 + 86_400;
const apiAlerts = () => world.recorder.alerts.filter((alert) => alert.subject?.includes('mark_data_ready failed'));

describe('api mode', () => {
  test('each dataset is marked ready as it completes, with the key from Secrets Manager, read once', async () => {
    await completeDay(world, '2024-05-01', ['events']);

    expect(statsig.calls).toEqual([
      {
        method: 'POST',
        path: '/v1/mark_data_ready',
        apiKey: 'secret-statsig-server-key',
        contentType: 'application/json',
        body: { timestamp: closing('2024-05-01'), type: 'events' },
        status: 200,
      },
    ]);
    expect(closing('2024-05-01')).toBe(1_714_636_800);

    await completeDay(world, '2024-05-01', ['metrics']);
    await completeDay(world, '2024-05-02', ['events']);

    expect(statsig.calls.map((call) => [call.body.type, call.body.timestamp])).toEqual([
      ['events', closing('2024-05-01')],
      ['metrics', closing('2024-05-01')],
      ['events', closing('2024-05-02')],
    ]);
    expect(
      dayReadyEvents(world).map((detail) => [
        detail.target,
        detail.day,
        (detail.api as { timestamp: number }).timestamp,
      ]),
    ).toEqual([
      ['events', '2024-05-01', closing('2024-05-01')],
      ['metrics', '2024-05-01', closing('2024-05-01')],
      ['events', '2024-05-02', closing('2024-05-02')],
    ]);
    expect(world.recorder.secretReads).toEqual([SECRET_ARN]);
    expect(world.recorder.alerts).toEqual([]);
  });

  test('429 and 500 are retried with backoff until Statsig accepts', async () => {
    statsig.answerNext(429, 500);

    await completeDay(world, '2024-05-03', ['events']);

    expect(statsig.calls.map((call) => call.status)).toEqual([429, 500, 200]);
    expect(world.retries.map((retry) => retry.errorType)).toEqual(['THROTTLING', 'SERVER_ERROR']);
    expect(dayReadyEvents(world)).toHaveLength(1);
    expect(apiAlerts()).toEqual([]);
  });

  test('a 400 is an alert, sent once; the day stays unpublished and goes out when Statsig accepts it', async () => {
    statsig.answerNext(400);
    await completeDay(world, '2024-05-04', ['events']);

    expect(statsig.calls.map((call) => call.status)).toEqual([400]);
    expect(dayReadyEvents(world)).toEqual([]);
    expect(apiAlerts()).toHaveLength(1);
    expect(apiAlerts()[0].message).toMatch(/HTTP 400[\s\S]*check the server secret/);

    statsig.answerNext(400);
    await marker(world, 'events', '2024-05-04');
    expect(apiAlerts()).toHaveLength(1);

    await world.scheduledCheck();
    expect(statsig.calls.map((call) => call.status)).toEqual([400, 400, 200]);
    expect(dayReadyEvents(world).map((detail) => detail.day)).toEqual(['2024-05-04']);
  });

  test('5xx after every retry is an alert too, naming the day', async () => {
    statsig.answerNext(503, 503, 503);

    await completeDay(world, '2024-05-05', ['events']);

    expect(statsig.calls).toHaveLength(3);
    expect(apiAlerts().map((alert) => alert.subject)).toEqual([
      'Statsig S3: mark_data_ready failed for events 2024-05-05',
    ]);
    expect(apiAlerts()[0].message).toContain('kept failing after retries');
  });

  test('a day completed after a later one was sent is never sent: timestamps per type only go up', async () => {
    await completeDay(world, '2024-05-06', ['events']);
    await completeDay(world, '2024-05-08', ['events']);
    await completeDay(world, '2024-05-07', ['events']);

    expect(statsig.calls.map((call) => call.body.timestamp)).toEqual([closing('2024-05-06'), closing('2024-05-08')]);
    expect(dayReadyEvents(world).at(-1)?.emptyDaysBefore).toEqual(['2024-05-07']);
    expect(world.logs.some((log) => log.level === 'warn' && log.message.includes('already published'))).toBe(true);
  });

  test('days released together go out as one call for the latest, each announced as ready', async () => {
    await validFile(world, 'events', '2024-05-10');
    await completeDay(world, '2024-05-11', ['events']);
    await completeDay(world, '2024-05-12', ['events']);
    expect(statsig.calls).toEqual([]);

    await marker(world, 'events', '2024-05-10');

    expect(statsig.calls.map((call) => [call.body.type, call.body.timestamp])).toEqual([
      ['events', closing('2024-05-12')],
    ]);
    expect(
      dayReadyEvents(world).map((detail) => [detail.day, (detail.api as { timestamp: number }).timestamp]),
    ).toEqual([
      ['2024-05-10', closing('2024-05-12')],
      ['2024-05-11', closing('2024-05-12')],
      ['2024-05-12', closing('2024-05-12')],
    ]);
    expect(
      world.logs.some((log) => log.message.includes('published events 2024-05-10, 2024-05-11, 2024-05-12 in one call')),
    ).toBe(true);
  });

  test('a dataset that is not configured is never waited for nor marked', async () => {
    await validFile(world, 'events', '2024-05-09');
    await marker(world, 'events', '2024-05-09');

    expect(statsig.calls.map((call) => call.body.type)).toEqual(['events']);
  });
});
