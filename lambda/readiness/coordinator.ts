import { randomUUID } from 'node:crypto';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { type Announcer } from '../bucket/announcements';
import { DETAIL_TYPES } from '../wire/events';
import type { DayVerdict, Marker, Readiness, ReadinessResult } from './port';
import { type BucketView, s3BucketView } from './bucket-view';
import { DayRecords } from './day-records';
import {
  describeReadiness,
  type ReadinessDescription,
  type ReadinessSettings,
  type TargetDescription,
} from './describe';
import {
  apiFailureAlert,
  dayReadyDetail,
  heldAlert,
  heldDetail,
  outsideLookbackAlert,
  waitingAlert,
  waitingDetail,
} from './notices';
import { type ReadinessState, StateStore } from './state';
import type { PublishTarget } from './targets';
import { verdictEntryKey } from './verdict-index';

/**
 * Longer than any Lambda can run (15 minutes): a holder is dead, never merely slow, once its lease has ended, so a
 * taker-over cannot publish alongside it and reorder what Statsig receives.
 */
export const LEASE_MS = 16 * 60_000;

/** Re-evaluations one holder does for others before it lets go; a later trigger or the scheduled check does the rest. */
const MAX_PASSES = 20;

export interface CoordinatorDeps {
  readonly s3: S3Client;
  readonly config: ReadinessSettings;
  readonly targets: readonly PublishTarget[];
  readonly announcer: Announcer;
  readonly warn: (message: string, extra: Record<string, unknown>) => void;
  readonly now: () => number;
}

/**
 * Decides and publishes readiness. A verdict costs two requests here: its entry in the verdict index, and a read of
 * its day's record, which names the one pending file readiness waits for; only that file's verdict, a marker or the
 * scheduled check start an evaluation. Every evaluation runs under a lease kept in the state object and taken with a
 * compare-and-swap, so one invocation at a time publishes, in day order, from the last published day on: racing
 * invocations never publish a day twice nor an earlier day after a later one. An invocation that finds the lease
 * taken leaves a `recheck` request in the state instead of waiting; the holder sees it when it tries to let go
 * (its compare-and-swap fails, it reads the request) and evaluates once more, so no trigger is lost.
 */
export class ReadinessCoordinator implements Readiness {
  constructor(private readonly deps: CoordinatorDeps) {}

  async onMarker(marker: Marker): Promise<ReadinessResult> {
    const { state } = await this.store(marker.bucket).read();
    return this.alreadyPublished(state, marker) ?? this.evaluate(marker.bucket, `marker ${marker.key}`);
  }

  /**
   * Records the verdict, then starts an evaluation only if readiness waits for this file. The entry is written
   * before the record is read, and the lease holder writes the record before it looks for the entry: one of the
   * two always sees the other, so the file that ends a wait cannot slip by unseen.
   */
  async onVerdict(verdict: DayVerdict): Promise<ReadinessResult> {
    const { s3, config } = this.deps;
    await s3.send(
      new PutObjectCommand({
        Bucket: verdict.bucket,
        Key: verdictEntryKey(config.statePrefix, verdict.key, verdict.etag, verdict.verdict),
        Body: new Uint8Array(0),
      }),
    );
    const record = await this.records(verdict.bucket).read(verdict.dataset, verdict.day);
    if (record?.published) {
      this.warnLate(verdict.key);
      return { summary: `readiness: ${verdict.day} was already published; ${verdict.key} arrived after it` };
    }
    if (record?.waitingOn !== verdict.key)
      return {
        summary: `readiness: ${verdict.dataset} ${verdict.day} ${record?.waitingOn ? `waits for ${record.waitingOn}` : 'is not being waited for'}`,
      };
    return this.evaluate(verdict.bucket, `verdict on ${verdict.key}`);
  }

  onSchedule(bucket: string): Promise<ReadinessResult> {
    return this.evaluate(bucket, 'scheduled check');
  }

  /**
   * A day Statsig was already told about cannot be taken back, nor sent again with an earlier timestamp: a marker
   * arriving for it only gets a warning, as Statsig may have loaded the day without it.
   */
  private alreadyPublished(state: ReadinessState, about: Marker): ReadinessResult | undefined {
    const covering = this.deps.targets.filter((target) => target.datasets.includes(about.dataset));
    if (!covering.every((target) => (state.published[target.name] ?? '') >= about.day)) return undefined;
    this.warnLate(about.key);
    return { summary: `readiness: ${about.day} was already published; ${about.key} arrived after it` };
  }

  private warnLate(key: string): void {
    this.deps.warn(
      'an object arrived for a day already published to Statsig, which may have loaded the day without it',
      { key },
    );
  }

  private store(bucket: string): StateStore {
    return new StateStore(this.deps.s3, bucket, this.deps.config.statePrefix);
  }

  private view(bucket: string): BucketView {
    return s3BucketView(this.deps.s3, bucket);
  }

  private records(bucket: string): DayRecords {
    return new DayRecords(this.deps.s3, this.view(bucket), this.deps.config.statePrefix);
  }

  private async evaluate(bucket: string, trigger: string): Promise<ReadinessResult> {
    const store = this.store(bucket);
    const owner = randomUUID();
    const acquired = await store.update((state) => {
      if (state.lease && state.lease.expiresAtMs > this.deps.now()) {
        return { state: state.recheck ? state : { ...state, recheck: true }, result: false };
      }
      return {
        state: { ...state, lease: { owner, expiresAtMs: this.deps.now() + LEASE_MS }, recheck: false },
        result: true,
      };
    });
    if (!acquired)
      return {
        summary: `readiness (${trigger}): another invocation is deciding; it will evaluate again before it lets go`,
      };

    const lines: string[] = [];
    try {
      for (let pass = 1; ; pass += 1) {
        const again = await this.pass(store, owner, lines);
        const released = await store.update((state) => {
          assertOwner(state, owner, store.key);
          if ((state.recheck || again) && pass < MAX_PASSES)
            return { state: state.recheck ? { ...state, recheck: false } : state, result: false };
          return { state: { ...state, lease: undefined }, result: true };
        });
        if (released) break;
      }
    } catch (error) {
      await store
        .update((state) => ({
          state: state.lease?.owner === owner ? { ...state, lease: undefined } : state,
          result: undefined,
        }))
        .catch(() => undefined);
      throw error;
    }
    return { summary: `readiness (${trigger}): ${[...new Set(lines)].join('; ')}` };
  }

  /** One look at the bucket and what follows from it; true when a wait ended while it was being armed. */
  private async pass(store: StateStore, owner: string, lines: string[]): Promise<boolean> {
    const { state } = await store.read();
    const described = await describeReadiness(this.view(store.bucket), this.deps.now(), this.deps.config, {
      includeOutside: !state.outsideReported,
      state,
    });
    await this.recordLookback(store, owner, described, lines);
    let again = false;
    for (const target of this.deps.targets) {
      const about = described.targets.find((candidate) => candidate.target === target.name)!;
      lines.push(...(await this.runTarget(store, owner, target, about, state)));
      again = (await this.armWait(store.bucket, about)) || again;
    }
    return again;
  }

  /** The first evaluation records the start day and reports, once, the days with data before it. */
  private async recordLookback(
    store: StateStore,
    owner: string,
    described: ReadinessDescription,
    lines: string[],
  ): Promise<void> {
    // A configured start day is the construct's to change: only the default is recorded.
    const recordStart = described.startDaySource === 'default';
    if (described.state.outsideReported && !recordStart) return;
    if (!described.state.outsideReported && described.outsideLookback.length > 0) {
      const alert = outsideLookbackAlert(store.bucket, described.startDay, described.outsideLookback);
      await this.deps.announcer.alert(alert.subject, alert.message);
      lines.push(
        `${described.outsideLookback.length} dataset days before ${described.startDay} are outside the lookback`,
      );
    }
    await store.update((current) => {
      assertOwner(current, owner, store.key);
      return {
        state: {
          ...current,
          startDay: current.startDay ?? (recordStart ? described.startDay : undefined),
          outsideReported: true,
        },
        result: undefined,
      };
    });
  }

  /** Names the file whose verdict ends the blocking day's wait; true when it already has its verdict. */
  private async armWait(bucket: string, about: TargetDescription): Promise<boolean> {
    const blocking = about.blocking;
    const pending = about.pendingOfBlocking;
    if (!blocking || blocking.reason !== 'pending' || !pending.length) return false;
    return this.records(bucket).waitFor(blocking.dataset, blocking.day, pending);
  }

  private async runTarget(
    store: StateStore,
    owner: string,
    target: PublishTarget,
    about: TargetDescription,
    known: ReadinessState,
  ): Promise<string[]> {
    const { announcer } = this.deps;
    // The notices as this pass read them: only the lease holder changes them, and each slot once per pass at most.
    const notify = (slot: string, signature: string | undefined, announce: () => Promise<void>) =>
      this.notify(store, owner, known, slot, signature, announce);
    const bucket = store.bucket;
    const lines: string[] = [];
    let lastPublished = about.lastPublished;
    // A cumulative target publishes a catch-up in one call, for its latest day.
    const calls = target.cumulative ? about.publishable.slice(-1) : about.publishable;
    for (const call of calls) {
      const covered = about.publishable.filter((day) => day.day > (lastPublished ?? '') && day.day <= call.day);
      const outcome = await target.publish(bucket, call.day);
      if (!outcome.ok) {
        const alert = apiFailureAlert(target, call.day, outcome);
        await notify(`${target.name}:api`, `${call.day} ${outcome.status ?? 'network'}`, () =>
          announcer.alert(alert.subject, alert.message),
        );
        return [...lines, `${target.name} ${call.day} not published: ${outcome.message}`];
      }
      for (const publication of covered) {
        if (publication.emptyDaysBefore.length > 0) {
          this.deps.warn('publishing past days with no data at all: Statsig will assume them loaded', {
            target: target.name,
            day: publication.day,
            emptyDays: publication.emptyDaysBefore,
          });
        }
        await announcer.event(
          DETAIL_TYPES.dayReady,
          dayReadyDetail(bucket, target, publication, outcome.detail),
          `${target.name} ${publication.day}`,
        );
      }
      await store.update((current) => {
        assertOwner(current, owner, store.key);
        const notices = Object.fromEntries(
          Object.entries(current.notices).filter(
            ([slot]) => slot !== `${target.name}:api` && !isWaitSlotUpTo(slot, target.name, call.day),
          ),
        );
        return {
          state: { ...current, published: { ...current.published, [target.name]: call.day }, notices },
          result: undefined,
        };
      });
      const records = this.records(bucket);
      await Promise.all(
        covered.flatMap((publication) =>
          target.datasets.map((dataset) => records.write(dataset, publication.day, { published: true })),
        ),
      );
      lastPublished = call.day;
      lines.push(
        `published ${target.name} ${covered.map((publication) => publication.day).join(', ')}${target.cumulative && covered.length > 1 ? ' in one call' : ''}`,
      );
    }

    const blocking = about.blocking;
    if (blocking && about.held.length > 0) {
      const detail = heldDetail(bucket, about, blocking, lastPublished);
      const alert = heldAlert(detail);
      await notify(
        `${target.name}:hold`,
        JSON.stringify([detail.heldDays, detail.blockingKey, detail.reason]),
        async () => {
          await announcer.event(DETAIL_TYPES.readinessHeld, detail, `${target.name} ${detail.blockingDay}`);
          await announcer.alert(alert.subject, alert.message);
        },
      );
      lines.push(`${target.name} ${about.held.join(', ')} held by ${blocking.key} (${blocking.reason})`);
    } else {
      await notify(`${target.name}:hold`, undefined, async () => undefined);
      if (blocking) lines.push(`${target.name} ${blocking.day} waiting: ${blocking.key} (${blocking.reason})`);
    }
    await this.announceStalls(store, owner, target, about, known);
    if (about.notEnded) lines.push(`${target.name} ${about.notEnded} publishes after it ends in UTC−8`);
    if (lines.length === 0) lines.push(`${target.name} nothing new after ${about.lastPublished ?? 'the first day'}`);
    return lines;
  }

  /** A stall speaks once per day and reason: one event each, one alert for those new in this evaluation. */
  private async announceStalls(
    store: StateStore,
    owner: string,
    target: PublishTarget,
    about: TargetDescription,
    known: ReadinessState,
  ): Promise<void> {
    const fresh = about.waiting.filter(
      (wait) => wait.stalled && known.notices[waitSlot(target.name, wait.day, wait.reason)] === undefined,
    );
    if (fresh.length === 0) return;
    for (const wait of fresh)
      await this.deps.announcer.event(
        DETAIL_TYPES.readinessWaiting,
        waitingDetail(store.bucket, about, wait),
        `${target.name} ${wait.day} ${wait.reason}`,
      );
    const alert = waitingAlert(store.bucket, about, fresh, this.deps.config.readinessGracePeriodHours);
    await this.deps.announcer.alert(alert.subject, alert.message);
    // Recorded after the announcement, so a crash in between repeats it rather than losing it.
    await store.update((current) => {
      assertOwner(current, owner, store.key);
      const added = Object.fromEntries(fresh.map((wait) => [waitSlot(target.name, wait.day, wait.reason), wait.key]));
      return { state: { ...current, notices: { ...current.notices, ...added } }, result: undefined };
    });
  }

  /**
   * Announces a hold or an API failure once per situation: `signature` names it, and the state remembers the last one
   * announced per slot (undefined clears the slot). Announced before it is recorded, so a crash in between repeats
   * the alert rather than losing it.
   */
  private async notify(
    store: StateStore,
    owner: string,
    known: ReadinessState,
    slot: string,
    signature: string | undefined,
    announce: () => Promise<void>,
  ): Promise<void> {
    if (known.notices[slot] === signature) return;
    if (signature !== undefined) await announce();
    await store.update((current) => {
      assertOwner(current, owner, store.key);
      const { [slot]: _previous, ...others } = current.notices;
      return {
        state: { ...current, notices: signature === undefined ? others : { ...others, [slot]: signature } },
        result: undefined,
      };
    });
  }
}

function waitSlot(target: string, day: string, reason: string): string {
  return `${target}:waiting:${day}:${reason}`;
}

/** A stall notice of `target` for a day up to `day`: once the day is published, its stalls are over. */
function isWaitSlotUpTo(slot: string, target: string, day: string): boolean {
  const prefix = `${target}:waiting:`;
  return slot.startsWith(prefix) && slot.slice(prefix.length, prefix.length + 10) <= day;
}

/** Only the lease holder may move the state forward; a holder that lost its lease must stop, not publish on. */
function assertOwner(state: ReadinessState, owner: string, key: string): void {
  if (state.lease?.owner !== owner)
    throw new Error(`readiness lease in ${key} was lost mid-decision; SQS will deliver the record again`);
}
