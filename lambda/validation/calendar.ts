/**
 * Calendar days as Statsig counts them. Statsig's day is fixed UTC−8 (PST) all year, never PDT, so day D runs from
 * D 08:00Z to D+1 08:00Z. Days are `YYYY-MM-DD` strings throughout the product.
 */
const DAY_MS = 86_400_000;
const STATSIG_OFFSET_MS = 8 * 3_600_000;
const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a real calendar date, or undefined for anything else (2023-02-29, 2024-13-01, "x"). */
export function dayNumber(day: string): number | undefined {
  const match = DAY_PATTERN.exec(day);
  if (!match) return undefined;
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, date);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== date)
    return undefined;
  return ms / DAY_MS;
}

export function isCalendarDay(day: string): boolean {
  return dayNumber(day) !== undefined;
}

/** The `YYYY-MM-DD` of a day number (what parquet DATE stores). */
export function dayFromNumber(days: number): string {
  return new Date(days * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(day: string, delta: number): string {
  const days = dayNumber(day);
  if (days === undefined) throw new RangeError(`not a calendar day: ${day}`);
  return dayFromNumber(days + delta);
}

/** Epoch milliseconds at which Statsig's day D begins (D 00:00 in UTC−8). */
export function statsigDayStartMs(day: string): number {
  const days = dayNumber(day);
  if (days === undefined) throw new RangeError(`not a calendar day: ${day}`);
  return days * DAY_MS + STATSIG_OFFSET_MS;
}

/** Epoch milliseconds at which Statsig's day D ends, which is when D+1 begins. */
export function statsigDayEndMs(day: string): number {
  return statsigDayStartMs(day) + DAY_MS;
}

/** Statsig's day that contains the instant `epochMs`. */
export function statsigDayAt(epochMs: number): string {
  return dayFromNumber(Math.floor((epochMs - STATSIG_OFFSET_MS) / DAY_MS));
}
