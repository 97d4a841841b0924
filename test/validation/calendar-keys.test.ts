import fc from 'fast-check';
import {
  addDays,
  classifyKey,
  dayFromNumber,
  dayNumber,
  isCalendarDay,
  statsigDayAt,
  statsigDayEndMs,
  statsigDayStartMs,
} from '../../lambda/validation';

/** Spec §5: Statsig's day is fixed UTC−8 all year, so day D is [D 08:00Z, D+1 08:00Z) whatever the DST season. */
describe('Statsig days', () => {
  it.each([
    ['a winter day', '2024-01-09', Date.UTC(2024, 0, 9, 8)],
    ['the US spring-forward day', '2024-03-10', Date.UTC(2024, 2, 10, 8)],
    ['the day after spring-forward', '2024-03-11', Date.UTC(2024, 2, 11, 8)],
    ['a summer day', '2024-07-04', Date.UTC(2024, 6, 4, 8)],
    ['the US fall-back day', '2024-11-03', Date.UTC(2024, 10, 3, 8)],
    ['New Year’s Eve', '2024-12-31', Date.UTC(2024, 11, 31, 8)],
    ['a leap day', '2024-02-29', Date.UTC(2024, 1, 29, 8)],
  ])('%s starts at 08:00Z and lasts exactly 24 hours', (_label, day, startMs) => {
    expect(statsigDayStartMs(day)).toBe(startMs);
    expect(statsigDayEndMs(day)).toBe(startMs + 86_400_000);
    expect(statsigDayEndMs(day)).toBe(statsigDayStartMs(addDays(day, 1)));
    expect(statsigDayAt(startMs)).toBe(day);
    expect(statsigDayAt(startMs - 1)).toBe(addDays(day, -1));
    expect(statsigDayAt(startMs + 86_400_000 - 1)).toBe(day);
  });

  it('closes the year at 2025-01-01 08:00Z', () => {
    expect(statsigDayAt(Date.UTC(2025, 0, 1, 7, 59, 59, 999))).toBe('2024-12-31');
    expect(statsigDayAt(Date.UTC(2025, 0, 1, 8))).toBe('2025-01-01');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2025-01-01', -1)).toBe('2024-12-31');
  });

  it('every instant lies inside the Statsig day it belongs to', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2100, 0, 1) }), (ms) => {
        const day = statsigDayAt(ms);
        return isCalendarDay(day) && statsigDayStartMs(day) <= ms && ms < statsigDayEndMs(day);
      }),
      { numRuns: 500 },
    );
  });

  it.each(['2024-02-29', '2000-02-29', '1999-12-31', '2024-01-31'])('knows %s is a calendar day', (day) => {
    expect(isCalendarDay(day)).toBe(true);
    expect(dayFromNumber(dayNumber(day)!)).toBe(day);
  });

  it.each([
    '2023-02-29',
    '1900-02-29',
    '2024-04-31',
    '2024-13-01',
    '2024-00-10',
    '2024-1-9',
    '2024-01-09 ',
    '20240109',
    'yesterday',
    '',
  ])('knows %j is not a calendar day', (day) => {
    expect(isCalendarDay(day)).toBe(false);
    expect(dayNumber(day)).toBeUndefined();
    expect(() => statsigDayStartMs(day)).toThrow(RangeError);
  });

  it('adds days across month, leap and year ends', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDays('2024-01-09', 366)).toBe('2025-01-09');
  });
});

/** Spec §1: the layout Statsig reads. */
describe('classifyKey', () => {
  it.each([
    ['events/2024-01-02/part-0.parquet', { kind: 'data', dataset: 'events', day: '2024-01-02' }],
    ['metrics/2024-01-02/x.parquet', { kind: 'data', dataset: 'metrics', day: '2024-01-02' }],
    ['metrics/2024-01-02/_SUCCESS', { kind: 'marker', dataset: 'metrics', day: '2024-01-02' }],
    ['events/2024-02-29/_SUCCESS', { kind: 'marker', dataset: 'events', day: '2024-02-29' }],
    ['signals/2024-01-02.parquet', { kind: 'signals', dataset: 'signals' }],
  ])('%s', (key, expected) => {
    expect(classifyKey(key)).toEqual(expected);
  });

  it.each([
    ['metrics/date=2022-06-22/x.parquet', 'path.hive-folder', 'metrics/2022-06-22/'],
    ['events/dt=2022-06-22/x.parquet', 'path.hive-folder', 'events/2022-06-22/'],
    ['signals/finished_date=2022-06-22/x.parquet', 'path.hive-folder', 'signals/'],
    ['events/x.parquet', 'path.day-folder', 'events/YYYY-MM-DD/x.parquet'],
    ['metrics/2023-02-29/x.parquet', 'path.day-folder', 'metrics/YYYY-MM-DD/x.parquet'],
    ['metrics/2024/01/02/x.parquet', 'path.day-folder', 'metrics/YYYY-MM-DD/x.parquet'],
    ['signals/2024/x.parquet', 'path.signals-folder', 'signals/'],
  ])('%s is misplaced (%s), with a hint showing the right place', (key, rule, hint) => {
    const result = classifyKey(key);
    expect(result.kind).toBe('misplaced');
    if (result.kind !== 'misplaced') return;
    expect(result.rule.id).toBe(rule);
    expect(result.hint).toContain(hint);
    expect(result.problem.length).toBeGreaterThan(10);
  });

  it.each([
    'events/2024-01-02/',
    'events/2024-01-02/_temporary/0/part-0.parquet',
    'events/2024-01-02/.part-0.parquet.crc',
    'events/2024-01-02/part-0.parquet.crc',
    'events/2024-01-02/.hidden.parquet',
    'metrics/2024-01-02/_committed_123',
    '_quarantine/events/2024-01-02/x.parquet',
    '_reports/metrics/2024-01-02/x.json',
    'exports/x.parquet',
    'Events/2024-01-02/x.parquet',
  ])('ignores %s', (key) => {
    expect(classifyKey(key).kind).toBe('ignored');
  });
});
