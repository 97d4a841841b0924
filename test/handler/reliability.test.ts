import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { backoffDelayMs } from '../../lambda/bucket/retry';
import { DETAIL_TYPES } from '../../lambda/wire/events';
import { METRICS } from '../../lambda/handler/telemetry';
import { closeDuckDb } from '../support/duckdb-parquet';
import { eventsWithMisspelledUserId, validEvents } from './fixtures';
import { s3EventRecord, sqsEvent, sqsRecord } from '../doubles/s3-notifications';
import { BUCKET, startWorld, TEST_RETRY, type World } from './world';

let world: World;
let fileCounter = 0;
const nextKey = () => `events/2024-05-01/part-${String(fileCounter++).padStart(4, '0')}.parquet`;
const outcomes = () => world.logs.flatMap((log) => (log.outcome ? [log.outcome] : []));

beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world.stop();
  await closeDuckDb();
});
beforeEach(() => world.reset());

describe('idempotency', () => {
  test('a redelivered event for a judged ETag is acknowledged without reading the file again', async () => {
    const key = nextKey();
    const etag = await world.upload(key, await validEvents());
    await world.notify(key, etag);
    const readsBefore = world.proxy.seen({ ranged: true, key }).length;

    const response = await world.notify(key, etag);

    expect(response.batchItemFailures).toEqual([]);
    expect(outcomes().map((outcome) => outcome.kind)).toEqual(['validated', 'duplicate']);
    expect(world.proxy.seen({ ranged: true, key })).toHaveLength(readsBefore);
    expect(world.recorder.events).toHaveLength(1);
  });

  test('two deliveries of one object in one batch judge it once', async () => {
    const key = nextKey();
    const etag = await world.upload(key, await eventsWithMisspelledUserId());

    await world.run(sqsEvent(s3EventRecord(BUCKET, key, { eTag: etag }), s3EventRecord(BUCKET, key, { eTag: etag })));

    expect(outcomes().map((outcome) => outcome.kind)).toEqual(['rejected', 'stale']);
    expect(world.recorder.alerts).toHaveLength(1);
    expect(world.recorder.events.map((event) => event.detailType)).toEqual([DETAIL_TYPES.rejected]);
  });

  test('an event for a version since overwritten is stale; the new version is judged by its own event', async () => {
    const key = nextKey();
    const oldEtag = await world.upload(key, await eventsWithMisspelledUserId());
    const newEtag = await world.upload(key, await validEvents());

    await world.notify(key, oldEtag);
    await world.notify(key, newEtag);

    expect(outcomes().map((outcome) => outcome.kind)).toEqual(['stale', 'validated']);
    expect(outcomes()[0].reason).toContain('overwritten');
    expect((await world.report(key))?.etag).toBe(newEtag);
    expect(await world.exists(key)).toBe(true);
  });

  test('an event for an object deleted before it was read is stale', async () => {
    const key = nextKey();
    const etag = await world.upload(key, await validEvents());
    await world.direct.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));

    const response = await world.notify(key, etag);

    expect(response.batchItemFailures).toEqual([]);
    expect(outcomes()).toEqual([
      expect.objectContaining({ kind: 'stale', reason: expect.stringContaining('deleted') }),
    ]);
    expect(await world.report(key)).toBeUndefined();
  });

  test('an object overwritten while it is read gets no verdict: the conditional read fails and the event is stale', async () => {
    const key = nextKey();
    const etag = await world.upload(key, await eventsWithMisspelledUserId());
    const replacement = await validEvents();
    world.proxy.before({ ranged: true, key }, async () => void (await world.upload(key, replacement)));

    const response = await world.notify(key, etag);

    expect(response.batchItemFailures).toEqual([]);
    expect(world.proxy.seen({ ranged: true, key }).some((read) => read.status === 412)).toBe(true);
    expect(outcomes()).toEqual([expect.objectContaining({ kind: 'stale', reason: 'changed while it was being read' })]);
    expect(await world.report(key)).toBeUndefined();
    expect(await world.exists(key)).toBe(true);
    expect(world.recorder.events).toEqual([]);
  });

  test('a bad file overwritten between its quarantine copy and its deletion: the new upload stays', async () => {
    const key = nextKey();
    const etag = await world.upload(key, await eventsWithMisspelledUserId());
    const replacement = await validEvents();
    world.proxy.before({ method: 'DELETE', key }, async () => void (await world.upload(key, replacement)));

    await world.notify(key, etag);

    expect(outcomes()).toEqual([expect.objectContaining({ kind: 'rejected', original: 'replaced' })]);
    expect(await world.exists(key)).toBe(true);
    expect(await world.exists(`_quarantine/${key}`)).toBe(true);
  });

  test('a rejection interrupted before the original was deleted is completed on redelivery, without a second alert', async () => {
    const key = nextKey();
    const etag = await world.upload(key, await eventsWithMisspelledUserId());
    const message = sqsEvent(s3EventRecord(BUCKET, key, { eTag: etag }));
    world.proxy.fail('internalError', { method: 'DELETE', key }, TEST_RETRY.maxAttempts);

    const first = await world.run(message);

    expect(first.batchItemFailures).toEqual([{ itemIdentifier: message.Records[0].messageId }]);
    expect(await world.exists(key)).toBe(true);
    expect((await world.report(key))?.verdict).toBe('invalid');

    const second = await world.run(message);

    expect(second.batchItemFailures).toEqual([]);
    expect(await world.exists(key)).toBe(false);
    expect(outcomes().at(-1)).toMatchObject({ kind: 'duplicate', verdict: 'invalid' });
    expect(world.recorder.alerts).toHaveLength(1);
  });
});

describe('transient failures', () => {
  test('throttling (503 SlowDown) is retried with backoff until S3 answers', async () => {
    const key = nextKey();
    const etag = await world.upload(key, await validEvents());
    world.proxy.fail('slowDown', { ranged: true, key }, 2);

    const response = await world.notify(key, etag);

    expect(response.batchItemFailures).toEqual([]);
    expect(world.retries.map((retry) => retry.errorType)).toEqual(['THROTTLING', 'THROTTLING']);
    expect(world.retries.every((retry) => retry.delayMs > 0)).toBe(true);
    expect(
      world.proxy
        .seen({ ranged: true, key })
        .map((request) => request.status)
        .slice(0, 3),
    ).toEqual([503, 503, 206]);
    expect((await world.report(key))?.verdict).toBe('valid');
  });

  test('a 503 on HEAD, a 500 and a connection reset on ranged reads are retried', async () => {
    const key = nextKey();
    const etag = await world.upload(key, await validEvents());
    world.proxy.fail('slowDown', { method: 'HEAD', key }, 1);
    world.proxy.fail('internalError', { ranged: true, key }, 1);
    world.proxy.fail('reset', { ranged: true, key }, 1);

    await world.notify(key, etag);

    // Without a body (HEAD) or with a 5xx the SDK calls the error transient; either way it is retried.
    expect(world.retries).toHaveLength(3);
    expect(world.proxy.seen({ key }).filter((request) => request.fault)).toHaveLength(3);
    expect((await world.report(key))?.verdict).toBe('valid');
  });

  test('a response body cut short is read again', async () => {
    const key = nextKey();
    const etag = await world.upload(key, await validEvents());
    world.proxy.fail('resetMidBody', { ranged: true, key }, 1);

    await world.notify(key, etag);

    expect(world.proxy.seen({ ranged: true, key }).some((read) => read.fault === 'resetMidBody')).toBe(true);
    expect(world.retries.length).toBeGreaterThanOrEqual(1);
    expect((await world.report(key))?.verdict).toBe('valid');
  });

  test('an EventBridge 500 is retried and the event still goes out once', async () => {
    const key = nextKey();
    const etag = await world.upload(key, await validEvents());
    world.recorder.failNext(1);

    await world.notify(key, etag);

    expect(world.recorder.failedRequests).toBe(1);
    expect(world.recorder.events).toHaveLength(1);
    expect(world.retries).toHaveLength(1);
  });

  test('a failure that outlasts the retries fails only its record, which succeeds when SQS delivers it again', async () => {
    const failing = nextKey();
    const fine = nextKey();
    const failingEtag = await world.upload(failing, await validEvents());
    const fineEtag = await world.upload(fine, await validEvents());
    world.proxy.fail('internalError', { method: 'HEAD', key: failing }, TEST_RETRY.maxAttempts);
    const batch = sqsEvent(
      s3EventRecord(BUCKET, failing, { eTag: failingEtag }),
      s3EventRecord(BUCKET, fine, { eTag: fineEtag }),
    );

    const first = await world.run(batch);

    expect(first.batchItemFailures).toEqual([{ itemIdentifier: batch.Records[0].messageId }]);
    expect(world.retries).toHaveLength(TEST_RETRY.maxAttempts - 1);
    expect(await world.report(failing)).toBeUndefined();
    expect((await world.report(fine))?.verdict).toBe('valid');
    expect(world.logs.some((log) => log.level === 'error' && log.message.includes('dead-letter'))).toBe(true);

    const redelivery = await world.run({ Records: [batch.Records[0]] });

    expect(redelivery.batchItemFailures).toEqual([]);
    expect((await world.report(failing))?.verdict).toBe('valid');
  });

  test('a message that is not an S3 notification fails its record, so it ends in the dead-letter queue', async () => {
    const bad = sqsRecord('{"hello":"world"}');
    const response = await world.run({ Records: [bad, sqsRecord('not json')] });

    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual([
      bad.messageId,
      expect.any(String),
    ]);
    expect(world.retries).toEqual([]);
  });
});

test('outcomes are counted as metrics', async () => {
  const addMetric = jest.spyOn(world.metrics, 'addMetric');
  const good = nextKey();
  const bad = nextKey();
  await world.upload(good, await validEvents(30));
  await world.upload(bad, await eventsWithMisspelledUserId());

  await world.run(sqsEvent(s3EventRecord(BUCKET, good), s3EventRecord(BUCKET, bad)));

  const recorded = addMetric.mock.calls.map(([name, , value]) => [name, value]);
  expect(recorded).toEqual(
    expect.arrayContaining([
      [METRICS.filesValidated, 1],
      [METRICS.filesRejected, 1],
      [METRICS.rows, 30],
      [METRICS.bytesRead, expect.any(Number)],
      [METRICS.duration, expect.any(Number)],
    ]),
  );
  addMetric.mockRestore();
});

describe('backoff', () => {
  test('doubles per attempt up to its ceiling, its jitter drawn in the upper half of each step', () => {
    const policy = { maxAttempts: 8, baseDelayMs: 100, maxDelayMs: 1_000 };
    const delays = (random: () => number) =>
      [1, 2, 3, 4, 5, 6].map((attempt) => backoffDelayMs({ ...policy, random }, attempt));

    expect(delays(() => 0)).toEqual([50, 100, 200, 400, 500, 500]);
    expect(delays(() => 0.999_999)).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    expect(delays(() => 0.5)).toEqual([75, 150, 300, 600, 750, 750]);
  });
});
