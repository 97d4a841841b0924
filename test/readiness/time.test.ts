import { markDataReadyTimestamp } from '../../lambda/readiness/mark-data-ready';
import { closeDuckDb } from '../support/duckdb-parquet';
import { startWorld, type World } from '../handler/world';
import { completeDay, dayReadyEvents } from './day-fixtures';

/**
 * Statsig's day is UTC−8 all year: the timestamp closing D is D+1 08:00Z whatever US daylight saving does, and the
 * arithmetic holds across a year end and a leap day.
 */
describe('mark_data_ready timestamps', () => {
  test.each([
    ['2024-03-09', '2024-03-10T08:00:00Z', 'the day before the spring-forward night'],
    ['2024-03-10', '2024-03-11T08:00:00Z', "the spring-forward day (23 hours in Pacific time, 24 in Statsig's)"],
    ['2024-11-02', '2024-11-03T08:00:00Z', 'the day before the fall-back night'],
    ['2024-11-03', '2024-11-04T08:00:00Z', "the fall-back day (25 hours in Pacific time, 24 in Statsig's)"],
    ['2024-12-31', '2025-01-01T08:00:00Z', 'the year end'],
    ['2024-02-28', '2024-02-29T08:00:00Z', 'the day before a leap day'],
    ['2024-02-29', '2024-03-01T08:00:00Z', 'a leap day'],
  ])('%s closes at %s (%s)', (day, closesAt) => {
    expect(markDataReadyTimestamp(day)).toBe(Date.parse(closesAt) / 1000);
  });

  test('consecutive days are always 86,400 seconds apart, through both transitions and the year end', () => {
    const days = [
      '2024-03-09',
      '2024-03-10',
      '2024-03-11',
      '2024-11-02',
      '2024-11-03',
      '2024-11-04',
      '2024-12-31',
      '2025-01-01',
    ];
    for (const day of days) {
      const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
      expect(markDataReadyTimestamp(next) - markDataReadyTimestamp(day)).toBe(86_400);
    }
    expect(markDataReadyTimestamp('2025-01-01')).toBe(1_735_804_800);
  });
});

describe('a day is published only once it has ended in UTC−8', () => {
  let world: World;
  let nowMs = 0;

  beforeAll(async () => {
    world = await startWorld({ now: () => nowMs });
  });
  afterAll(async () => {
    await world.stop();
    await closeDuckDb();
  });

  test("a New Year's Eve day completed at 07:59Z on Jan 1 waits; the scheduled check after 08:00Z publishes it", async () => {
    nowMs = Date.parse('2025-01-01T07:59:00Z');
    await completeDay(world, '2024-12-31');

    expect(dayReadyEvents(world)).toEqual([]);
    expect(world.logs.some((log) => log.message.includes('signals 2024-12-31 publishes after it ends in UTC−8'))).toBe(
      true,
    );

    nowMs = Date.parse('2025-01-01T08:00:00Z');
    await world.scheduledCheck();
    expect(dayReadyEvents(world).map((detail) => detail.day)).toEqual(['2024-12-31']);
    expect(await world.exists('signals/2024-12-31.parquet')).toBe(true);
  });
});
