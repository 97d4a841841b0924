import { PutObjectCommand } from '@aws-sdk/client-s3';
import { validEvents } from '../handler/fixtures';
import { closeDuckDb } from '../support/duckdb-parquet';
import { BUCKET, startWorld, type World } from '../handler/world';
import { dayReadyEvents, readObject, marker, validFile } from './day-fixtures';

/**
 * Adopting a bucket that already holds a year of unmarked days: they lie before the start day the first evaluation
 * records, so they are reported once and never block; no evaluation lists them again.
 */
const HISTORY = Array.from({ length: 365 }, (_, i) =>
  new Date(Date.parse('2024-04-01T00:00:00Z') + i * 86_400_000).toISOString().slice(0, 10),
);
const FIRST_EVALUATION = Date.parse('2025-06-02T12:00:00Z');

let world: World;
let nowMs = FIRST_EVALUATION;

beforeAll(async () => {
  world = await startWorld({
    now: () => nowMs,
    config: { datasets: ['events'], readinessStartDay: undefined },
  });
  const body = await validEvents(5);
  for (let i = 0; i < HISTORY.length; i += 16) {
    await Promise.all(
      HISTORY.slice(i, i + 16).map((day) =>
        world.direct.send(new PutObjectCommand({ Bucket: BUCKET, Key: `events/${day}/part-0.parquet`, Body: body })),
      ),
    );
  }
});
afterAll(async () => {
  await world.stop();
  await closeDuckDb();
});

/** Requests that name a day of the history, as a key or in a listing's prefix or start. */
const touchingHistory = () =>
  world.proxy.requests.filter((request) =>
    HISTORY.some((day) => request.key.includes(day) || decodeURIComponent(request.query).includes(day)),
  );

test('a year of unmarked history: reported once by the first evaluation, then never listed; new days publish', async () => {
  await world.scheduledCheck();

  const state = JSON.parse(Buffer.from(await readObject(world, '_state/readiness.json')).toString()) as {
    startDay: string;
  };
  expect(state.startDay).toBe('2025-05-05');
  expect(world.recorder.alerts).toEqual([
    expect.objectContaining({
      subject: 'Statsig S3: 365 days before 2025-05-05 will not be published',
      message: [
        'Readiness considers days from 2025-05-05 on: Statsig ingests at most four weeks back.',
        's3://statsig-ingest holds data for 365 earlier days (2024-04-01 to 2025-03-31): they neither block later days nor get published.',
        "To have them considered, set the construct's readinessStartDay to an earlier day. This is reported once.",
      ].join('\n'),
    }),
  ]);
  // The whole history came back in one listing page: no request per historical day, even the first time.
  expect(touchingHistory()).toEqual([]);
  expect(world.proxy.requests.length).toBeLessThan(20);

  world.reset();
  nowMs = Date.parse('2025-06-02T13:00:00Z');
  for (const day of ['2025-05-30', '2025-06-01']) {
    await validFile(world, 'events', day);
    await marker(world, 'events', day);
  }
  await world.scheduledCheck();

  expect(dayReadyEvents(world).map((detail) => detail.day)).toEqual(['2025-05-30', '2025-06-01']);
  expect(world.recorder.alerts).toEqual([]);
  expect(touchingHistory()).toEqual([]);
  const folderListings = world.proxy.requests.filter(
    (request) => request.method === 'GET' && request.query.includes('delimiter'),
  );
  expect(folderListings.length).toBeGreaterThan(0);
  expect(folderListings.every((request) => request.query.includes('start-after'))).toBe(true);
});
