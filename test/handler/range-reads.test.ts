import { closeDuckDb } from '../support/duckdb-parquet';
import { validEvents } from './fixtures';
import { startWorld, type World } from './world';

const LIMITS = { maxRangeBytes: 4096, maxConcurrentRequests: 2 };
let world: World;

beforeAll(async () => {
  world = await startWorld({ rangeLimits: LIMITS });
});
afterAll(async () => {
  await world.stop();
  await closeDuckDb();
});

test('ranges are split to the size limit and at most the concurrency limit are in flight', async () => {
  const key = 'events/2024-05-01/large.parquet';
  const bytes = await validEvents(20_000, 2_000);
  const etag = await world.upload(key, bytes);
  world.reset();

  await world.notify(key, etag);

  const stored = await world.report(key);
  expect(stored?.report).toMatchObject({ valid: true, rows: 20_000 });
  const reads = world.proxy.seen({ ranged: true, key });
  const sizes = reads.map((read) => {
    const [from, to] = read.range!.slice('bytes='.length).split('-').map(Number);
    return to - from + 1;
  });
  expect(bytes.byteLength).toBeGreaterThan(LIMITS.maxRangeBytes * 4);
  expect(reads.length).toBeGreaterThan(4);
  expect(Math.max(...sizes)).toBeLessThanOrEqual(LIMITS.maxRangeBytes);
  // HEAD and the report lookup run before the reads, so every request in flight at once is a ranged read.
  expect(world.proxy.maxInFlight).toBeLessThanOrEqual(LIMITS.maxConcurrentRequests);
  expect(stored?.report.bytesRead).toBeGreaterThan(0);
});
