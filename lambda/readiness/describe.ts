import { addDays, isCalendarDay, statsigDayAt, statsigDayEndMs } from '../validation';
import { LOOKBACK_DAYS, type ReadinessConfig, type ValidatorConfig } from '../wire/config';
import type { DailyDataset } from '../wire/datasets';
import type { BucketView } from './bucket-view';
import { type DayStatus, dayStatus, type Incomplete, type PendingFile } from './day-status';
import { type Blocked, plan, type Publication } from './plan';
import { type ReadinessState, readState, stateKey } from './state';
import { publishScopes, type PublishScope } from './targets';
import { WAIT_REASONS, type WaitReason } from './wait-reasons';

/**
 * What readiness reads its decisions from: the configuration's datasets, mode, prefixes, start day and grace; the
 * mode alone, since describing needs no secret (the CLI's status has none).
 */
export type ReadinessSettings = Pick<
  ValidatorConfig,
  'datasets' | 'statePrefix' | 'quarantinePrefix' | 'readinessStartDay' | 'readinessGracePeriodHours'
> & { readonly readiness: Pick<ReadinessConfig, 'mode'> };

/** A day with data that is not published, why, and the object a person looks at. */
export interface DayWait {
  readonly day: string;
  /** The dataset whose folder holds `key` (for a held day: the blocking day's). */
  readonly dataset: DailyDataset;
  readonly reason: WaitReason;
  readonly key: string;
  /** What the reason means, and the step that releases the day. */
  readonly says: string;
  readonly remedy: string;
  /** Files of the day (that dataset) without a verdict yet. */
  readonly pendingFiles: number;
  /** For a held day, the day holding it. */
  readonly heldBehind?: string;
  /** The day has ended in UTC−8 and the grace period after it has passed: a stall, which alerts once. */
  readonly stalled: boolean;
}

/** Readiness of one publish target: `signals`, or a dataset in api mode. */
export interface TargetDescription {
  readonly target: string;
  readonly datasets: readonly DailyDataset[];
  /** The last day Statsig was told about. */
  readonly lastPublished?: string;
  /** Complete days that may be published now, in order. */
  readonly publishable: readonly Publication[];
  /** The first day after the last published one that has data and is not complete: it holds every later day. */
  readonly blocking?: DayWait;
  /** Complete days after the blocking one. */
  readonly held: readonly string[];
  /** Every ended day with data that is not published and not publishable, each with its reason, in day order. */
  readonly waiting: readonly DayWait[];
  /** The first day with data that has not ended in UTC−8: nothing from it on is looked at yet. */
  readonly notEnded?: string;
  /** The files of the blocking day still without a verdict, when that is its reason; whoever arms a trigger reads them. */
  readonly pendingOfBlocking: readonly PendingFile[];
}

export interface ReadinessDescription {
  readonly bucket: string;
  /** The first day considered, and where it comes from. */
  readonly startDay: string;
  readonly startDaySource: 'configured' | 'recorded' | 'default';
  /** Days with data before the start day: never published, never blocking (when asked for). */
  readonly outsideLookback: readonly { readonly dataset: DailyDataset; readonly day: string }[];
  readonly targets: readonly TargetDescription[];
  /** The state the description was read from. */
  readonly state: ReadinessState;
}

export interface DescribeOptions {
  /** List the days before the start day too (a whole history: one listing page per 1,000 days). */
  readonly includeOutside?: boolean;
  /** The state, when the caller has just read it (the lease holder has): saves reading it again. */
  readonly state?: ReadinessState;
}

/**
 * What readiness would decide now, read-only: per publish target, the last published day, the days publishable now,
 * the blocking day with its reason and the object to look at, the held days, and every waiting day. The function
 * decides from this and the CLI's `status` prints it, so both say the same. Costs: one state read; per dataset one
 * folder listing from the later of the start day and the last published day on (two with the quarantine's); per day
 * inspected, three listings of a thousand keys each; days up to the last published one are never read again.
 */
export async function describeReadiness(
  view: BucketView,
  nowMs: number,
  settings: ReadinessSettings,
  options: DescribeOptions = {},
): Promise<ReadinessDescription> {
  const state = options.state ?? (await readState(view, stateKey(settings.statePrefix))).state;
  const { startDay, startDaySource } = startDayOf(settings, state, nowMs);
  const scopes = publishScopes(settings);
  const statuses = new Map<string, Promise<DayStatus>>();
  const status = (dataset: DailyDataset, day: string) => {
    const id = `${dataset}/${day}`;
    if (!statuses.has(id)) statuses.set(id, dayStatus(view, settings, dataset, day));
    return statuses.get(id)!;
  };

  const outsideLookback: { dataset: DailyDataset; day: string }[] = [];
  const daysOf = new Map<DailyDataset, string[]>();
  await Promise.all(
    settings.datasets.map(async (dataset) => {
      const cursors = scopes
        .filter((scope) => scope.datasets.includes(dataset))
        .map((scope) => state.published[scope.name]);
      // Listing starts after the earliest day still needed: the start day, or the last published one if later.
      const from = cursors.every((cursor) => cursor !== undefined && cursor >= startDay)
        ? cursors.reduce((a, b) => (a! < b! ? a : b))!
        : addDays(startDay, -1);
      const days = await daysWithData(
        view,
        settings.quarantinePrefix,
        dataset,
        options.includeOutside ? undefined : from,
      );
      outsideLookback.push(...days.filter((day) => day < startDay).map((day) => ({ dataset, day })));
      daysOf.set(
        dataset,
        days.filter((day) => day >= startDay),
      );
    }),
  );

  const targets: TargetDescription[] = [];
  for (const scope of scopes) {
    const cursor = state.published[scope.name];
    const decided = await plan({
      cursor,
      daysWithData: [...new Set(scope.datasets.flatMap((dataset) => daysOf.get(dataset) ?? []))].sort(),
      nowMs,
      incomplete: async (day) => {
        for (const dataset of scope.datasets) {
          const found = await status(dataset, day);
          if (!found.complete) return found;
        }
        return undefined;
      },
    });
    const graceMs = settings.readinessGracePeriodHours * 3_600_000;
    const wait = (blocked: Blocked, extra: Partial<DayWait> = {}): DayWait => ({
      day: blocked.day,
      dataset: blocked.dataset,
      reason: blocked.reason,
      key: blocked.key,
      ...WAIT_REASONS[blocked.reason],
      pendingFiles: blocked.pendingFiles,
      ...extra,
      stalled: nowMs >= statsigDayEndMs(extra.day ?? blocked.day) + graceMs,
    });
    const blocking = decided.blocker && wait(decided.blocker);
    let pendingOfBlocking: readonly PendingFile[] = [];
    if (decided.blocker?.reason === 'pending') {
      const found = await status(decided.blocker.dataset, decided.blocker.day);
      if (!found.complete) pendingOfBlocking = found.pending;
    }
    const held = decided.held.map((day) =>
      wait(decided.blocker!, { day, reason: 'held', ...WAIT_REASONS.held, heldBehind: decided.blocker!.day }),
    );
    const waiting = [...(blocking ? [blocking] : []), ...held, ...decided.blockedAfter.map((b) => wait(b))].sort(
      (a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0),
    );
    targets.push({
      target: scope.name,
      datasets: scope.datasets,
      lastPublished: cursor,
      publishable: decided.publish,
      blocking,
      held: decided.held,
      waiting,
      notEnded: decided.notEnded,
      pendingOfBlocking,
    });
  }
  return {
    bucket: view.bucket,
    startDay,
    startDaySource,
    outsideLookback: outsideLookback.sort((a, b) => (a.day < b.day ? -1 : 1)),
    targets,
    state,
  };
}

function startDayOf(settings: ReadinessSettings, state: ReadinessState, nowMs: number) {
  if (settings.readinessStartDay)
    return { startDay: settings.readinessStartDay, startDaySource: 'configured' as const };
  if (state.startDay) return { startDay: state.startDay, startDaySource: 'recorded' as const };
  return { startDay: addDays(statsigDayAt(nowMs), -LOOKBACK_DAYS), startDaySource: 'default' as const };
}

/**
 * Days of `dataset` that have any data after `after`: a day folder, or quarantined files of one. A day whose every
 * file was quarantined has no folder left, yet it is not a day without data: Statsig must not be told it is loaded.
 */
async function daysWithData(
  view: BucketView,
  quarantinePrefix: string,
  dataset: DailyDataset,
  after: string | undefined,
): Promise<string[]> {
  // Past every key of the day folder `after/`: the listing starts at the next day.
  const startAfter = after === undefined ? undefined : `${after}/\u{10ffff}`;
  const [live, quarantined] = await Promise.all([
    view.listFolders(`${dataset}/`, startAfter),
    view.listFolders(`${quarantinePrefix}${dataset}/`, startAfter),
  ]);
  return [...new Set([...live, ...quarantined])]
    .filter((day) => isCalendarDay(day) && (after === undefined || day > after))
    .sort();
}

export type { Incomplete, PublishScope };
