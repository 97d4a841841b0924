import { closeDuckDb } from '../support/duckdb-parquet';
import { DETAIL_TYPES, EVENT_SOURCE } from '../../lambda/wire/events';
import { eventsWithMisspelledUserId, validEvents, validMetrics } from './fixtures';
import { s3EventRecord, sqsEvent, sqsRecord, testEvent } from '../doubles/s3-notifications';
import { BUCKET, BUS, invocation, startWorld, TOPIC_ARN, type World } from './world';
import { VERDICT_RESERVE_MS } from '../../lambda/handler/handler';

let world: World;

beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world.stop();
  await closeDuckDb();
});
beforeEach(() => world.reset());

describe('verdicts', () => {
  test('a valid events file gets a report with its ETag, a File Validated event, and no alert', async () => {
    const key = 'events/2024-05-01/part-0000.parquet';
    const etag = await world.upload(key, await validEvents(50));

    const response = await world.notify(key, etag);

    expect(response.batchItemFailures).toEqual([]);
    const stored = await world.report(key);
    expect(stored).toMatchObject({ schemaVersion: 1, bucket: BUCKET, key, etag, verdict: 'valid' });
    expect(stored?.report).toMatchObject({
      file: key,
      dataset: 'events',
      day: '2024-05-01',
      valid: true,
      rows: 50,
      errorCount: 0,
    });
    expect(await world.exists(key)).toBe(true);
    expect(world.recorder.events).toHaveLength(1);
    expect(world.recorder.events[0]).toMatchObject({
      source: EVENT_SOURCE,
      detailType: DETAIL_TYPES.validated,
      eventBusName: BUS,
      detail: {
        bucket: BUCKET,
        key,
        etag,
        dataset: 'events',
        day: '2024-05-01',
        valid: true,
        rows: 50,
        report: { bucket: BUCKET, key: `_reports/${key}.json` },
      },
    });
    expect(world.recorder.alerts).toEqual([]);
  });

  test('an invalid file is moved to quarantine, reported, announced as rejected and alerted with its top errors', async () => {
    const key = 'events/2024-05-01/bad ids+more.parquet';
    const bytes = await eventsWithMisspelledUserId(20);
    const etag = await world.upload(key, bytes);

    const response = await world.notify(key, etag);

    expect(response.batchItemFailures).toEqual([]);
    expect(await world.exists(key)).toBe(false);
    expect(await world.exists(`_quarantine/${key}`)).toBe(true);
    const stored = await world.report(key);
    expect(stored).toMatchObject({ etag, verdict: 'invalid', quarantine: { key: `_quarantine/${key}` } });
    expect(stored?.report.errorCount).toBeGreaterThanOrEqual(20);
    const rule = stored!.report.errors[0].rule;

    expect(world.recorder.events).toEqual([
      expect.objectContaining({
        detailType: DETAIL_TYPES.rejected,
        detail: expect.objectContaining({
          key,
          etag,
          valid: false,
          quarantine: { bucket: BUCKET, key: `_quarantine/${key}` },
        }),
      }),
    ]);
    const detail = world.recorder.events[0].detail as { topErrors: unknown[] };
    expect(detail.topErrors.length).toBeLessThanOrEqual(10);
    expect(world.recorder.alerts).toHaveLength(1);
    const alert = world.recorder.alerts[0];
    expect(alert.topicArn).toBe(TOPIC_ARN);
    expect(alert.subject).toBe(`Statsig S3: rejected ${key}`);
    expect(alert.message).toContain(rule);
    expect(alert.message).toContain(`s3://${BUCKET}/_reports/${key}.json`);
    expect(alert.message).toContain(`s3://${BUCKET}/_quarantine/${key}`);
    expect(alert.message).toContain(stored!.report.errors[0].message);
    // The fix names the re-arm step too: a quarantine after the marker holds the day until _SUCCESS comes again.
    expect(alert.message.split('\n').slice(-2)).toEqual([
      `To fix: correct the file and upload it again to ${key}; it will be validated again.`,
      'If events/2024-05-01/_SUCCESS was already written, upload _SUCCESS again after the fixed file: the day is not published to Statsig until it is re-armed.',
    ]);
  });

  test("a file the invocation's time cannot finish is too large: reported, announced, alerted with the split, left in place, not retried", async () => {
    const key = 'events/2024-05-01/huge.parquet';
    const etag = await world.upload(key, await validEvents(50));
    // The invocation has only the time it keeps to announce a verdict: none is left for reading the file.
    const context = invocation(VERDICT_RESERVE_MS);

    const response = await world.notify(key, etag, context);

    expect(response.batchItemFailures).toEqual([]);
    expect(await world.exists(key)).toBe(true);
    expect(await world.exists(`_quarantine/${key}`)).toBe(false);
    const stored = await world.report(key);
    expect(stored).toMatchObject({ etag, verdict: 'too-large', report: { valid: false } });
    expect(stored?.quarantine).toBeUndefined();
    expect(stored?.report.counts).toEqual([{ rule: 'file.too-large', severity: 'error', count: 1 }]);
    expect(world.recorder.events).toEqual([
      expect.objectContaining({
        detailType: DETAIL_TYPES.tooLarge,
        detail: expect.objectContaining({ key, tooLarge: true }),
      }),
    ]);
    expect(world.recorder.alerts).toHaveLength(1);
    expect(world.recorder.alerts[0].subject).toBe(`Statsig S3: too large to validate ${key}`);
    expect(world.recorder.alerts[0].message).toMatch(/maxRecordsPerFile[\s\S]*MAXFILESIZE/);
    expect(world.logs.map((log) => log.outcome?.kind)).toContain('too-large');

    // The same time with room to read: the file is judged on its bytes.
    const again = await world.upload(key, await validEvents(51));
    await world.notify(key, again, invocation(VERDICT_RESERVE_MS + 60_000));
    expect(await world.report(key)).toMatchObject({ etag: again, verdict: 'valid' });
  });

  test('metrics files are judged against their day folder', async () => {
    const good = 'metrics/2024-05-01/revenue.parquet';
    const wrongDay = 'metrics/2024-05-02/revenue.parquet';
    const bytes = await validMetrics('2024-05-01');
    await world.upload(good, bytes);
    await world.upload(wrongDay, bytes);

    await world.run(sqsEvent(s3EventRecord(BUCKET, good), s3EventRecord(BUCKET, wrongDay)));

    expect((await world.report(good))?.verdict).toBe('valid');
    expect((await world.report(wrongDay))?.verdict).toBe('invalid');
    expect(await world.exists(`_quarantine/${wrongDay}`)).toBe(true);
  });

  test('a file in a Hive-style folder is quarantined with the path rule, without reading it', async () => {
    const key = 'metrics/date=2024-05-01/revenue.parquet';
    await world.upload(key, await validMetrics('2024-05-01'));

    await world.notify(key);

    const stored = await world.report(key);
    expect(stored?.report.errors[0].rule).toBe('path.hive-folder');
    expect(await world.exists(`_quarantine/${key}`)).toBe(true);
    expect(world.proxy.seen({ method: 'GET', key })).toEqual([]);
  });

  test('the file is read with explicit ranges, each conditional on the ETag from the one HEAD', async () => {
    const key = 'events/2024-05-01/ranges.parquet';
    const etag = await world.upload(key, await validEvents(2000, 500));

    await world.notify(key, etag);

    expect(world.proxy.seen({ method: 'HEAD', key })).toHaveLength(1);
    const reads = world.proxy.seen({ method: 'GET', key });
    expect(reads.length).toBeGreaterThan(1);
    for (const read of reads) {
      expect(read.range).toMatch(/^bytes=\d+-\d+$/);
      expect(read.ifMatch).toBe(`"${etag}"`);
    }
  });

  test('s3:TestEvent, folder objects, hidden files and other prefixes are acknowledged with a log line', async () => {
    const keys = [
      'events/2024-05-01/',
      'events/2024-05-01/_temporary/0/part.parquet',
      'events/2024-05-01/.part.parquet.crc',
      'exports/x.parquet',
    ];
    const event = sqsEvent(...keys.map((key) => s3EventRecord(BUCKET, key)));
    event.Records.push(sqsRecord(testEvent(BUCKET)));

    const response = await world.run(event);

    expect(response.batchItemFailures).toEqual([]);
    expect(world.logs.filter((log) => log.outcome?.kind === 'skipped')).toHaveLength(keys.length);
    expect(world.logs.some((log) => log.message.includes('s3:TestEvent'))).toBe(true);
    expect(world.proxy.requests).toEqual([]);
    expect(world.recorder.events).toEqual([]);
  });

  test('a _SUCCESS marker goes to readiness, which names what the day is waiting for', async () => {
    const key = 'events/2024-05-01/_SUCCESS';
    await world.upload(key, '');

    const response = await world.notify(key);

    expect(response.batchItemFailures).toEqual([]);
    const line = world.logs.find((log) => log.outcome?.kind === 'marker');
    expect(line?.message).toMatch(
      /readiness \(marker events\/2024-05-01\/_SUCCESS\): signals 2024-05-01 waiting: .+ \((no-marker|quarantined-after-marker)\)/,
    );
    // A marker is not judged: the only events are readiness's, about days long ended and still waiting.
    expect(new Set(world.recorder.events.map((event) => event.detailType))).toEqual(new Set(['Readiness Waiting']));
  });
});
