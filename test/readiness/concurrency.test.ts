import { PutObjectCommand } from '@aws-sdk/client-s3';
import { LEASE_MS } from '../../lambda/readiness/coordinator';
import { closeDuckDb } from '../support/duckdb-parquet';
import { validEvents, validMetrics } from '../handler/fixtures';
import { s3EventRecord, sqsEvent } from '../doubles/s3-notifications';
import { BUCKET, startWorld, type World } from '../handler/world';
import { dayReadyEvents, emptyBucket, expectAcknowledged } from './day-fixtures';
import { seededShuffle } from './seeded-shuffle';
import { StatsigApiStandIn } from './statsig-api-stand-in';

const DAYS = ['2024-05-01', '2024-05-02', '2024-05-03', '2024-05-04', '2024-05-05'];
const DATASETS = ['events', 'metrics'] as const;
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:statsig-server-AbCdEf';
/** Fixed, and in the test names, so that a failing order can be replayed: `RACE_SEED=<seed> npx jest concurrency`. */
const SEED = Number(process.env.RACE_SEED ?? 20240501);

/**
 * Uploads every file and marker of every day, then delivers all their notifications at once, each marker three times
 * and each file twice, as separate invocations in a shuffled order: what many Lambdas draining a queue look like.
 */
async function raceEverything(world: World): Promise<void> {
  const keys: string[] = [];
  for (const day of DAYS) {
    for (const dataset of DATASETS) {
      const file = `${dataset}/${day}/part-0.parquet`;
      await world.upload(file, dataset === 'events' ? await validEvents(10) : await validMetrics(day, 10));
      await world.upload(`${dataset}/${day}/_SUCCESS`, '');
      keys.push(file, file, ...Array(3).fill(`${dataset}/${day}/_SUCCESS`));
    }
  }
  await Promise.all(
    seededShuffle(keys, SEED).map((key) => expectAcknowledged(world.run(sqsEvent(s3EventRecord(BUCKET, key))))),
  );
}

afterAll(async () => {
  await closeDuckDb();
});

describe(`racing invocations (shuffle seed ${SEED})`, () => {
  test('signals mode: every day is written once, in day order, and announced once', async () => {
    const world = await startWorld();
    try {
      await raceEverything(world);

      const writes = world.proxy.seen({ method: 'PUT', key: /^signals\// }).filter((request) => request.status === 200);
      expect(writes.map((request) => request.key)).toEqual(DAYS.map((day) => `signals/${day}.parquet`));
      expect(dayReadyEvents(world).map((detail) => detail.day)).toEqual(DAYS);
      // The state was contended: conditional writes lost races and were retried.
      expect(
        world.proxy.seen({ method: 'PUT', key: '_state/readiness.json' }).some((request) => request.status === 412),
      ).toBe(true);
    } finally {
      await world.stop();
    }
  });

  test('api mode: each type is marked with timestamps strictly rising up to the last day, each day announced once in order', async () => {
    const statsig = await StatsigApiStandIn.start();
    const world = await startWorld({
      config: { readiness: { mode: 'api', secretArn: SECRET_ARN, baseUrl: statsig.baseUrl } },
    });
    world.recorder.secrets.set(SECRET_ARN, 'key');
    try {
      await raceEverything(world);

      const closing = (day: string) => Date.parse(`${day}T08:00:00Z`) / 1000 + 86_400;
      for (const type of DATASETS) {
        const timestamps = statsig.calls.filter((call) => call.body.type === type).map((call) => call.body.timestamp);
        // Days that became ready together went out as one call for the latest of them.
        expect(timestamps.at(-1)).toBe(closing(DAYS.at(-1)!));
        expect(timestamps.every((timestamp, index) => index === 0 || timestamp > timestamps[index - 1])).toBe(true);
        expect(timestamps.every((timestamp) => DAYS.map(closing).includes(timestamp))).toBe(true);
        const announced = dayReadyEvents(world).filter((detail) => detail.target === type);
        expect(announced.map((detail) => detail.day)).toEqual(DAYS);
      }
    } finally {
      await world.stop();
      await statsig.stop();
    }
  });

  test('a holder that died keeps others out until its lease ends; then the next check takes over and publishes', async () => {
    let nowMs = Date.now();
    const world = await startWorld({ now: () => nowMs });
    try {
      await emptyBucket(world);
      const state = {
        schemaVersion: 1,
        published: {},
        notices: {},
        recheck: false,
        lease: { owner: 'died-mid-decision', expiresAtMs: nowMs + LEASE_MS },
      };
      await world.direct.send(
        new PutObjectCommand({ Bucket: BUCKET, Key: '_state/readiness.json', Body: JSON.stringify(state) }),
      );
      for (const dataset of DATASETS) {
        const file = `${dataset}/2024-05-01/part-0.parquet`;
        await world.upload(file, dataset === 'events' ? await validEvents(10) : await validMetrics('2024-05-01', 10));
        await world.upload(`${dataset}/2024-05-01/_SUCCESS`, '');
        await expectAcknowledged(world.notify(file));
        await expectAcknowledged(world.notify(`${dataset}/2024-05-01/_SUCCESS`));
      }
      expect(world.logs.some((log) => log.message.includes('another invocation is deciding'))).toBe(true);
      expect(await world.exists('signals/2024-05-01.parquet')).toBe(false);

      nowMs = state.lease.expiresAtMs - 1;
      await world.scheduledCheck();
      expect(await world.exists('signals/2024-05-01.parquet')).toBe(false);

      nowMs = state.lease.expiresAtMs;
      await world.scheduledCheck();
      expect(await world.exists('signals/2024-05-01.parquet')).toBe(true);
    } finally {
      await world.stop();
    }
  });
});
