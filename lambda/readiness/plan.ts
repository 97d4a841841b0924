import { addDays, statsigDayEndMs } from '../validation';
import type { Incomplete } from './day-status';

/** A day to publish, in order, with the days before it that have no data at all (Statsig will assume them loaded). */
export interface Publication {
  readonly day: string;
  readonly emptyDaysBefore: readonly string[];
}

export type Blocked = { readonly day: string } & Incomplete;

export interface Plan {
  readonly publish: readonly Publication[];
  /** The first day after the last published one that has data but is not complete. */
  readonly blocker?: Blocked;
  /** Complete days after the blocker: the gap rule holds them until it completes. */
  readonly held: readonly string[];
  /** Days after the blocker that are not complete themselves, each with its own reason. */
  readonly blockedAfter: readonly Blocked[];
  /** The first day that has data but has not ended yet in UTC−8: nothing from it on can be published. */
  readonly notEnded?: string;
}

export interface PlanInput {
  /** The last day published, if any. */
  readonly cursor?: string;
  /** Every day with data, in any of the target's datasets. */
  readonly daysWithData: readonly string[];
  readonly nowMs: number;
  /** Whether the day is complete in every dataset of the target; the first incomplete dataset otherwise. */
  readonly incomplete: (day: string) => Promise<Incomplete | undefined>;
}

/**
 * The gap rule (spec §7). Statsig skips gaps: publishing D tells it every earlier day is loaded. So days after the
 * cursor are taken in order and published while they are complete; the first one with data that is not complete
 * blocks every later one. A day with no data at all does not block: it is only reported, as Statsig will assume it
 * loaded. A day is published only once it has ended in Statsig's UTC−8, as Statsig refuses signals for days that
 * have not (and a `mark_data_ready` timestamp in the future would claim data that cannot exist yet).
 */
export async function plan(input: PlanInput): Promise<Plan> {
  const candidates = input.daysWithData.filter((day) => input.cursor === undefined || day > input.cursor);
  const publish: Publication[] = [];
  let previous = input.cursor;
  for (const [index, day] of candidates.entries()) {
    if (statsigDayEndMs(day) > input.nowMs) return { publish, held: [], blockedAfter: [], notEnded: day };
    const blocked = await input.incomplete(day);
    if (blocked) {
      const held: string[] = [];
      const blockedAfter: Blocked[] = [];
      for (const later of candidates.slice(index + 1)) {
        if (statsigDayEndMs(later) > input.nowMs)
          return { publish, blocker: { day, ...blocked }, held, blockedAfter, notEnded: later };
        const alsoBlocked = await input.incomplete(later);
        if (alsoBlocked) blockedAfter.push({ day: later, ...alsoBlocked });
        else held.push(later);
      }
      return { publish, blocker: { day, ...blocked }, held, blockedAfter };
    }
    publish.push({ day, emptyDaysBefore: previous === undefined ? [] : daysBetween(previous, day) });
    previous = day;
  }
  return { publish, held: [], blockedAfter: [] };
}

/** The days strictly between `from` and `to`. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = addDays(from, 1); day < to; day = addDays(day, 1)) days.push(day);
  return days;
}
