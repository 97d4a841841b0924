import type { Incomplete } from '../../lambda/readiness/day-status';
import { daysBetween, plan } from '../../lambda/readiness/plan';

/** The gap rule on its own: days and their completeness in, what to publish and what is held out. */
const NOW = Date.parse('2024-06-30T00:00:00Z');
const missing = (day: string): Incomplete => ({
  dataset: 'events',
  key: `events/${day}/_SUCCESS`,
  reason: 'no-marker',
  pendingFiles: 0,
});
const decide = (daysWithData: string[], incompleteDays: string[], cursor?: string, nowMs = NOW) =>
  plan({
    cursor,
    daysWithData,
    nowMs,
    incomplete: async (day) => (incompleteDays.includes(day) ? missing(day) : undefined),
  });

describe('gap rule plan', () => {
  test('complete days after the cursor publish in order, naming the empty days in between', async () => {
    expect(await decide(['2024-06-01', '2024-06-02', '2024-06-05'], [], '2024-05-30')).toEqual({
      publish: [
        { day: '2024-06-01', emptyDaysBefore: ['2024-05-31'] },
        { day: '2024-06-02', emptyDaysBefore: [] },
        { day: '2024-06-05', emptyDaysBefore: ['2024-06-03', '2024-06-04'] },
      ],
      held: [],
      blockedAfter: [],
    });
  });

  test('the first incomplete day with data blocks; complete days after it are held, incomplete ones are not', async () => {
    expect(
      await decide(['2024-06-01', '2024-06-02', '2024-06-03', '2024-06-04'], ['2024-06-02', '2024-06-04']),
    ).toEqual({
      publish: [{ day: '2024-06-01', emptyDaysBefore: [] }],
      blocker: { day: '2024-06-02', ...missing('2024-06-02') },
      held: ['2024-06-03'],
      blockedAfter: [{ day: '2024-06-04', ...missing('2024-06-04') }],
    });
  });

  test('days up to the cursor are never looked at again', async () => {
    expect(await decide(['2024-06-01', '2024-06-02'], ['2024-06-01'], '2024-06-01')).toEqual({
      publish: [{ day: '2024-06-02', emptyDaysBefore: [] }],
      held: [],
      blockedAfter: [],
    });
  });

  test('a day that has not ended in UTC−8 stops the walk, complete or not', async () => {
    const beforeEnd = Date.parse('2024-06-03T07:59:59Z');
    expect(await decide(['2024-06-01', '2024-06-02', '2024-06-03'], [], undefined, beforeEnd)).toEqual({
      publish: [{ day: '2024-06-01', emptyDaysBefore: [] }],
      held: [],
      blockedAfter: [],
      notEnded: '2024-06-02',
    });
  });

  test('days between two dates cross month and year ends', () => {
    expect(daysBetween('2024-12-30', '2025-01-02')).toEqual(['2024-12-31', '2025-01-01']);
    expect(daysBetween('2024-02-28', '2024-03-01')).toEqual(['2024-02-29']);
    expect(daysBetween('2024-06-01', '2024-06-02')).toEqual([]);
  });
});
