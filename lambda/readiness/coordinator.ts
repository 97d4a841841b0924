import { randomUUID } from 'node:crypto';
import { type S3Client } from '@aws-sdk/client-s3';
import { type Announcer } from '../bucket/announcements';
import { DETAIL_TYPES } from '../wire/events';
import type { ValidatorConfig } from '../wire/config';
import type { DayVerdict, Marker, Readiness, ReadinessResult } from './port';
import { headObject } from '../bucket/object-version';
import { MARKER_NAME } from '../validation';
import type { DailyDataset } from '../wire/datasets';
import { DayInspector } from './day-status';
import { apiFailureAlert, dayReadyDetail, heldAlert, heldDetail } from './notices';
import { plan } from './plan';
import { type ReadinessState, StateStore } from './state';
import type { PublishTarget } from './targets';

/**
 * Longer than any Lambda can run (15 minutes): a holder is dead, never merely slow, once its lease has ended, so a
 * taker-over cannot publish alongside it and reorder what Statsig receives.
 */
export const LEASE_MS = 16 * 60_000;

/** Re-evaluations one holder does for others before it lets go; a later trigger or the scheduled check does the rest. */
const MAX_PASSES = 20;

export interface CoordinatorDeps {
  readonly s3: S3Client;
  readonly config: Pick<ValidatorConfig, 'reportsPrefix' | 'quarantinePrefix' | 'statePrefix'>;
  readonly targets: readonly PublishTarget[];
  readonly announcer: Announcer;
  readonly warn: (message: string, extra: Record<string, unknown>) => void;
  readonly now: () => number;
}

/**
 * Decides and publishes readiness. Every decision runs under a lease kept in the state object and taken with a
 * compare-and-swap, so one invocation at a time publishes, in day order, from the last published day on: racing
 * invocations never publish a day twice nor an earlier day after a later one. An invocation that finds the lease
 * taken leaves a `recheck` request in the state instead of waiting; the holder sees it when it tries to let go
 * (its compare-and-swap fails, it reads the request) and evaluates once more, so no trigger is lost.
 */
export class ReadinessCoordinator implements Readiness {
  constructor(private readonly deps: CoordinatorDeps) {}

  async onMarker(marker: Marker): Promise<ReadinessResult> {
    return (await this.alreadyPublished(marker)) ?? this.evaluate(marker.bucket, `marker ${marker.key}`);
  }

  /** A verdict can only complete a day that has its marker. */
  async onVerdict(verdict: DayVerdict): Promise<ReadinessResult> {
    const marker = `${verdict.dataset}/${verdict.day}/${MARKER_NAME}`;
    if (!(await headObject(this.deps.s3, verdict.bucket, marker)))
      return { summary: `readiness: ${verdict.dataset} ${verdict.day} has no ${MARKER_NAME} yet` };
    return (await this.alreadyPublished(verdict)) ?? this.evaluate(verdict.bucket, `verdict on ${verdict.key}`);
  }

  /**
   * A day Statsig was already told about cannot be taken back, nor sent again with an earlier timestamp: a file or a
   * marker arriving for it only gets a warning, as Statsig may have loaded the day without it.
   */
  private async alreadyPublished(about: Marker | DayVerdict): Promise<ReadinessResult | undefined> {
    const { state } = await this.store(about.bucket).read();
    const covering = this.deps.targets.filter((target) => target.datasets.includes(about.dataset));
    if (!covering.every((target) => (state.published[target.name] ?? '') >= about.day)) return undefined;
    this.deps.warn(
      'an object arrived for a day already published to Statsig, which may have loaded the day without it',
      { key: about.key },
    );
    return { summary: `readiness: ${about.day} was already published; ${about.key} arrived after it` };
  }

  onSchedule(bucket: string): Promise<ReadinessResult> {
    return this.evaluate(bucket, 'scheduled check');
  }

  private store(bucket: string): StateStore {
    return new StateStore(this.deps.s3, bucket, this.deps.config.statePrefix);
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
        for (const target of this.deps.targets) lines.push(...(await this.runTarget(store, owner, target)));
        const released = await store.update((state) => {
          assertOwner(state, owner, store.key);
          if (state.recheck && pass < MAX_PASSES) return { state: { ...state, recheck: false }, result: false };
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

  private async runTarget(store: StateStore, owner: string, target: PublishTarget): Promise<string[]> {
    const { s3, config, announcer } = this.deps;
    const bucket = store.bucket;
    const inspector = new DayInspector(s3, bucket, config.reportsPrefix, config.quarantinePrefix);
    const { state } = await store.read();
    const cursor = state.published[target.name];
    const daysWithData = [
      ...new Set((await Promise.all(target.datasets.map((dataset) => inspector.daysWithData(dataset)))).flat()),
    ].sort();
    const decided = await plan({
      cursor,
      daysWithData,
      nowMs: this.deps.now(),
      incomplete: (day) => firstIncomplete(inspector, target.datasets, day),
    });

    const lines: string[] = [];
    for (const publication of decided.publish) {
      const outcome = await target.publish(bucket, publication.day);
      if (!outcome.ok) {
        const alert = apiFailureAlert(target, publication.day, outcome);
        await this.notify(store, owner, `${target.name}:api`, `${publication.day} ${outcome.status ?? 'network'}`, () =>
          announcer.alert(alert.subject, alert.message),
        );
        return [...lines, `${target.name} ${publication.day} not published: ${outcome.message}`];
      }
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
      await store.update((current) => {
        assertOwner(current, owner, store.key);
        const { [`${target.name}:api`]: _resolved, ...notices } = current.notices;
        return {
          state: { ...current, published: { ...current.published, [target.name]: publication.day }, notices },
          result: undefined,
        };
      });
      lines.push(`published ${target.name} ${publication.day}`);
    }

    if (decided.blocker && decided.held.length > 0) {
      const detail = heldDetail(
        bucket,
        target,
        { blocker: decided.blocker, held: decided.held },
        decided.publish.at(-1)?.day ?? cursor,
      );
      const alert = heldAlert(detail);
      await this.notify(
        store,
        owner,
        `${target.name}:hold`,
        JSON.stringify([detail.heldDays, detail.blockingKey, detail.reason]),
        async () => {
          await announcer.event(DETAIL_TYPES.readinessHeld, detail, `${target.name} ${detail.blockingDay}`);
          await announcer.alert(alert.subject, alert.message);
        },
      );
      lines.push(
        `${target.name} ${decided.held.join(', ')} held by ${decided.blocker.key} (${decided.blocker.reason})`,
      );
    } else {
      await this.notify(store, owner, `${target.name}:hold`, undefined, async () => undefined);
      if (decided.blocker)
        lines.push(`${target.name} ${decided.blocker.day} waiting: ${decided.blocker.key} (${decided.blocker.reason})`);
    }
    if (decided.notEnded) lines.push(`${target.name} ${decided.notEnded} publishes after it ends in UTC−8`);
    if (lines.length === 0) lines.push(`${target.name} nothing new after ${cursor ?? 'the first day'}`);
    return lines;
  }

  /**
   * Announces a hold or an API failure once per situation: `signature` names it, and the state remembers the last one
   * announced per slot (undefined clears the slot). Announced before it is recorded, so a crash in between repeats
   * the alert rather than losing it.
   */
  private async notify(
    store: StateStore,
    owner: string,
    slot: string,
    signature: string | undefined,
    announce: () => Promise<void>,
  ): Promise<void> {
    const { state } = await store.read();
    if (state.notices[slot] === signature) return;
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

async function firstIncomplete(inspector: DayInspector, datasets: readonly DailyDataset[], day: string) {
  for (const dataset of datasets) {
    const status = await inspector.status(dataset, day);
    if (!status.complete) return status;
  }
  return undefined;
}

/** Only the lease holder may move the state forward; a holder that lost its lease must stop, not publish on. */
function assertOwner(state: ReadinessState, owner: string, key: string): void {
  if (state.lease?.owner !== owner)
    throw new Error(`readiness lease in ${key} was lost mid-decision; SQS will deliver the record again`);
}
