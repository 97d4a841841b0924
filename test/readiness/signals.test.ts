import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { byteSourceFromBytes, validateParquet } from '../../lambda/validation';
import { closeDuckDb, readParquetRows } from '../support/duckdb-parquet';
import { eventsWithMisspelledUserId, validMetrics } from '../handler/fixtures';
import { startWorld, type World } from '../handler/world';
import {
  completeDay,
  dayReadyEvents,
  emptyBucket,
  expectAcknowledged,
  heldEvents,
  marker,
  readObject,
  validFile,
} from './day-fixtures';

let world: World;
let scratch: string;

beforeAll(async () => {
  world = await startWorld();
  scratch = mkdtempSync(join(tmpdir(), 'signals-'));
});
afterAll(async () => {
  await world.stop();
  await closeDuckDb();
  rmSync(scratch, { recursive: true, force: true });
});
beforeEach(() => emptyBucket(world));

const signalPuts = () =>
  world.proxy.seen({ method: 'PUT', key: /^signals\// }).filter((request) => request.status === 200);

describe('signals mode', () => {
  test('a day complete in both datasets gets signals/D.parquet, one DATE row that the validator and DuckDB read as D', async () => {
    await completeDay(world, '2024-05-01');

    const bytes = await readObject(world, 'signals/2024-05-01.parquet');
    const report = await validateParquet(
      byteSourceFromBytes(bytes),
      { file: 'signals/2024-05-01.parquet', dataset: 'signals' },
      world.decoder,
    );
    expect(report).toMatchObject({ valid: true, rows: 1, columns: ['finished_date'], errorCount: 0, warningCount: 0 });
    const path = join(scratch, 'signal.parquet');
    writeFileSync(path, bytes);
    const rows = await readParquetRows(path);
    expect(rows).toHaveLength(1);
    expect((rows[0].finished_date as Date).toISOString()).toBe('2024-05-01T00:00:00.000Z');
    expect(dayReadyEvents(world)).toEqual([
      expect.objectContaining({
        day: '2024-05-01',
        target: 'signals',
        datasets: ['events', 'metrics'],
        signals: { bucket: 'statsig-ingest', key: 'signals/2024-05-01.parquet' },
      }),
    ]);
  });

  test('the signals file it wrote comes back as an S3 event: judged valid, and nothing is published again', async () => {
    await completeDay(world, '2024-05-02');
    world.reset();

    await expectAcknowledged(world.notify('signals/2024-05-02.parquet'));

    expect((await world.report('signals/2024-05-02.parquet'))?.verdict).toBe('valid');
    expect(world.recorder.events.map((event) => event.detailType)).toEqual(['File Validated']);
    expect(signalPuts()).toEqual([]);
  });

  test('a day with only one dataset complete is not published', async () => {
    await completeDay(world, '2024-05-03', ['events']);
    await validFile(world, 'metrics', '2024-05-03');

    expect(dayReadyEvents(world)).toEqual([]);
    expect(await world.exists('signals/2024-05-03.parquet')).toBe(false);
  });

  test("a marker that overtakes the validation of the last file waits, and that file's verdict publishes the day", async () => {
    await completeDay(world, '2024-05-04', ['events']);
    const key = 'metrics/2024-05-04/part-0.parquet';
    const etag = await world.upload(key, await validMetrics('2024-05-04', 10));
    await marker(world, 'metrics', '2024-05-04');

    const waiting = world.logs.find((log) => log.message.startsWith('readiness (marker metrics/2024-05-04/_SUCCESS)'));
    expect(waiting?.message).toContain(`waiting: ${key} (pending)`);
    expect(await world.exists('signals/2024-05-04.parquet')).toBe(false);

    await expectAcknowledged(world.notify(key, etag));
    expect(await world.exists('signals/2024-05-04.parquet')).toBe(true);
  });

  test('a file quarantined after the marker blocks the day until the marker is uploaded again', async () => {
    await validFile(world, 'events', '2024-05-07');
    await marker(world, 'events', '2024-05-07');
    await validFile(world, 'metrics', '2024-05-07');
    const bad = 'metrics/2024-05-07/late.parquet';
    await world.upload(bad, await eventsWithMisspelledUserId(5));
    await marker(world, 'metrics', '2024-05-07');
    await expectAcknowledged(world.notify(bad));
    expect(await world.exists('_quarantine/metrics/2024-05-07/late.parquet')).toBe(true);
    expect(await world.exists('signals/2024-05-07.parquet')).toBe(false);

    // Listings carry whole seconds: the new marker must land in a later second than the quarantine to re-arm.
    await world.server.advanceClock(1000);
    await marker(world, 'metrics', '2024-05-07');
    expect(await world.exists('signals/2024-05-07.parquet')).toBe(true);
  });
});

describe('gap rule', () => {
  test('a complete day is held while an earlier day has data but no marker; it publishes in order once that day completes', async () => {
    await completeDay(world, '2024-06-01');
    await validFile(world, 'events', '2024-06-02');
    await completeDay(world, '2024-06-03');
    await completeDay(world, '2024-06-04');

    expect(signalPuts().map((request) => request.key)).toEqual(['signals/2024-06-01.parquet']);
    const held = heldEvents(world);
    expect(held.at(-1)).toMatchObject({
      target: 'signals',
      heldDays: ['2024-06-03', '2024-06-04'],
      lastPublished: '2024-06-01',
      blockingDay: '2024-06-02',
      blockingKey: 'events/2024-06-02/_SUCCESS',
      reason: 'no-marker',
    });
    const alerts = world.recorder.alerts.filter((alert) => alert.subject?.includes('readiness held'));
    expect(alerts.at(-1)?.message).toContain('s3://statsig-ingest/events/2024-06-02/_SUCCESS (no-marker)');
    // Announced once per situation: 06-03 held, then 06-03 and 06-04 held.
    expect(held).toHaveLength(2);

    world.reset();
    await completeDay(world, '2024-06-02', ['metrics']);
    await marker(world, 'events', '2024-06-02');

    expect(signalPuts().map((request) => request.key)).toEqual([
      'signals/2024-06-02.parquet',
      'signals/2024-06-03.parquet',
      'signals/2024-06-04.parquet',
    ]);
    expect(dayReadyEvents(world).map((detail) => detail.day)).toEqual(['2024-06-02', '2024-06-03', '2024-06-04']);
    expect(heldEvents(world)).toEqual([]);
  });

  test('a day with no data at all holds nothing: the next day publishes with a warning naming it', async () => {
    await completeDay(world, '2024-07-01');
    await completeDay(world, '2024-07-03');

    expect(dayReadyEvents(world).map((detail) => [detail.day, detail.emptyDaysBefore])).toEqual([
      ['2024-07-01', []],
      ['2024-07-03', ['2024-07-02']],
    ]);
    const warning = world.logs.find((log) => log.level === 'warn' && log.message.includes('no data at all'));
    expect(warning).toBeDefined();
    expect(heldEvents(world)).toEqual([]);
  });

  test('a day whose only file was quarantined is not a day without data: it holds the next one', async () => {
    await completeDay(world, '2024-08-01');
    const bad = 'events/2024-08-02/bad.parquet';
    await world.upload(bad, await eventsWithMisspelledUserId(5));
    await expectAcknowledged(world.notify(bad));
    await completeDay(world, '2024-08-03');

    expect(signalPuts().map((request) => request.key)).toEqual(['signals/2024-08-01.parquet']);
    expect(heldEvents(world).at(-1)).toMatchObject({
      heldDays: ['2024-08-03'],
      blockingDay: '2024-08-02',
      reason: 'no-marker',
    });
  });
});
