import { S3Client } from '@aws-sdk/client-s3';
import { s3BucketView } from '../../lambda/readiness/bucket-view';
import { describeReadiness } from '../../lambda/readiness/describe';
import { s3ClientOptions } from '../doubles/s3-server';
import { eventsWithMisspelledUserId, validEvents } from '../handler/fixtures';
import { closeDuckDb } from '../support/duckdb-parquet';
import { BUCKET, startWorld, type World } from '../handler/world';
import { emptyBucket, expectAcknowledged, marker, validFile } from './day-fixtures';

/**
 * Stalls as a person meets them: the alert's subject and text, read whole, after the grace period and never before,
 * once per day and reason. Time is injected; the bucket is the local S3 server.
 */
let world: World;
let nowMs = 0;

beforeAll(async () => {
  world = await startWorld({ now: () => nowMs, config: { datasets: ['events'] } });
});
afterAll(async () => {
  await world.stop();
  await closeDuckDb();
});
beforeEach(() => emptyBucket(world));

const waitingAlerts = () => world.recorder.alerts.filter((alert) => alert.subject?.includes(' not published ('));
const waitingEvents = () =>
  world.recorder.events.filter((event) => event.detailType === 'Readiness Waiting').map((event) => event.detail);

describe('a stall speaks', () => {
  test('a day without _SUCCESS: nothing before the grace period ends, then one alert naming the marker to upload', async () => {
    nowMs = Date.parse('2024-05-02T13:59:00Z');
    await validFile(world, 'events', '2024-05-01');
    await world.scheduledCheck();
    expect(waitingAlerts()).toEqual([]);

    nowMs = Date.parse('2024-05-02T14:00:00Z');
    await world.scheduledCheck();
    nowMs = Date.parse('2024-05-02T15:00:00Z');
    await world.scheduledCheck();

    expect(waitingAlerts()).toEqual([
      {
        subject: 'Statsig S3: 2024-05-01 not published (signals): no _SUCCESS marker yet',
        message: [
          'This day has data, ended (UTC−8) more than 6 hours ago, and is still not published to Statsig (signals).',
          '',
          '2024-05-01 events: no _SUCCESS marker yet.',
          '  Look at: s3://statsig-ingest/events/2024-05-01/_SUCCESS',
          '  To release it: upload _SUCCESS into the day folder once every file of the day is uploaded.',
          '',
          'Last day published: none yet. This alert is sent once per day and reason.',
        ].join('\n'),
        topicArn: expect.any(String),
      },
    ]);
    expect(waitingEvents()).toEqual([
      expect.objectContaining({ day: '2024-05-01', reason: 'no-marker', key: 'events/2024-05-01/_SUCCESS' }),
    ]);

    await marker(world, 'events', '2024-05-01');
    expect(await world.exists('signals/2024-05-01.parquet')).toBe(true);
  });

  test('a file quarantined after _SUCCESS spells out the re-arm step; the day it holds speaks for itself', async () => {
    // The marker overtakes the last file's verdict within the grace period: that short wait is no stall.
    nowMs = Date.parse('2024-06-02T13:00:00Z');
    await validFile(world, 'events', '2024-06-01');
    const bad = 'events/2024-06-01/late.parquet';
    const badEtag = await world.upload(bad, await eventsWithMisspelledUserId(5));
    await marker(world, 'events', '2024-06-01');
    nowMs = Date.parse('2024-06-03T20:00:00Z');
    await expectAcknowledged(world.notify(bad, badEtag));
    await validFile(world, 'events', '2024-06-02');
    await marker(world, 'events', '2024-06-02');
    await world.scheduledCheck();

    expect(waitingAlerts().map((alert) => [alert.subject, alert.message])).toEqual([
      [
        'Statsig S3: 2024-06-01 not published (signals): a file was quarantined after _SUCCESS',
        [
          'This day has data, ended (UTC−8) more than 6 hours ago, and is still not published to Statsig (signals).',
          '',
          '2024-06-01 events: a file was quarantined after _SUCCESS.',
          '  Look at: s3://statsig-ingest/_quarantine/events/2024-06-01/late.parquet',
          '  To release it: read its report under _reports/, fix the file and upload it again into the day folder, then upload _SUCCESS again to re-arm the day.',
          '',
          'Last day published: none yet. This alert is sent once per day and reason.',
        ].join('\n'),
      ],
      [
        'Statsig S3: 2024-06-02 not published (signals): held behind an earlier day',
        [
          'This day has data, ended (UTC−8) more than 6 hours ago, and is still not published to Statsig (signals).',
          '',
          '2024-06-02: complete, but held behind an earlier day, 2024-06-01, that is not.',
          '  Look at: s3://statsig-ingest/_quarantine/events/2024-06-01/late.parquet',
          '  To release it: release the earlier day named here; the held days then publish in order.',
          '',
          'Last day published: none yet. This alert is sent once per day and reason.',
        ].join('\n'),
      ],
    ]);
    expect(waitingEvents().map((detail) => [detail.day, detail.reason, detail.heldBehind])).toEqual([
      ['2024-06-01', 'quarantined-after-marker', null],
      ['2024-06-02', 'held', '2024-06-01'],
    ]);

    world.reset();
    await expectAcknowledged(world.notify(bad, await world.upload(bad, await validEvents(5))));
    // Listings carry whole seconds: the new marker must land in a later second than the quarantine to re-arm.
    await world.server.advanceClock(1000);
    await marker(world, 'events', '2024-06-01');
    expect(await world.exists('signals/2024-06-02.parquet')).toBe(true);
    expect(waitingAlerts()).toEqual([]);
  });

  test('a file whose verdict never came is named with the count of files still waiting and the dead-letter step', async () => {
    nowMs = Date.parse('2024-07-02T20:00:00Z');
    await world.upload('events/2024-07-01/part-0.parquet', await validEvents(5));
    await world.upload('events/2024-07-01/part-1.parquet', await validEvents(5));
    await marker(world, 'events', '2024-07-01');

    expect(waitingAlerts().map((alert) => alert.message.split('\n').slice(2, 6))).toEqual([
      [
        '2024-07-01 events: a file has no verdict yet.',
        expect.stringMatching(/^ {2}Look at: s3:\/\/statsig-ingest\/events\/2024-07-01\/part-[01]\.parquet$/),
        '  Files still without a verdict: 2.',
        '  To release it: nothing, if files are still being validated; if it stays so, look for the file in the dead-letter queue and deliver it again.',
      ],
    ]);
  });
});

describe('the description readiness decides from', () => {
  test('names the last published day, the blocking day, its object, the held days and pending files, reading only', async () => {
    nowMs = Date.parse('2024-08-05T20:00:00Z');
    await validFile(world, 'events', '2024-08-01');
    await marker(world, 'events', '2024-08-01');
    await world.upload('events/2024-08-02/part-0.parquet', await validEvents(5));
    await marker(world, 'events', '2024-08-02');
    await validFile(world, 'events', '2024-08-03');
    await marker(world, 'events', '2024-08-03');
    await validFile(world, 'events', '2024-08-05');

    const client = new S3Client(s3ClientOptions(world.proxy.endpoint));
    world.reset();
    const described = await describeReadiness(s3BucketView(client, BUCKET), nowMs, world.config);
    client.destroy();

    expect(world.proxy.requests.every((request) => request.method === 'GET')).toBe(true);
    expect(described).toMatchObject({ startDay: '2024-01-01', startDaySource: 'configured' });
    expect(described.targets).toEqual([
      {
        target: 'signals',
        datasets: ['events'],
        lastPublished: '2024-08-01',
        publishable: [],
        blocking: expect.objectContaining({
          day: '2024-08-02',
          reason: 'pending',
          key: 'events/2024-08-02/part-0.parquet',
          pendingFiles: 1,
          stalled: true,
        }),
        held: ['2024-08-03'],
        waiting: [
          expect.objectContaining({ day: '2024-08-02', reason: 'pending' }),
          expect.objectContaining({ day: '2024-08-03', reason: 'held', heldBehind: '2024-08-02' }),
        ],
        notEnded: '2024-08-05',
        pendingOfBlocking: [{ key: 'events/2024-08-02/part-0.parquet', etag: expect.any(String) }],
      },
    ]);
  });
});
