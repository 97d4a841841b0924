import type { DayWait, ReadinessDescription, TargetDescription } from '../../lambda/readiness/describe';
import { statsigDayAt, statsigDayEndMs } from '../../lambda/validation';
import { LOOKBACK_DAYS } from '../../lambda/wire/config';

/** Pending files named under a blocking day; the rest are counted. */
const PENDING_SHOWN = 5;
const LABEL = 16;

const row = (label: string, text: string) => `  ${label.padEnd(LABEL)} ${text}\n`;
const more = (text: string) => `  ${''.padEnd(LABEL)}   ${text}\n`;
const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

const SOURCES: Record<ReadinessDescription['startDaySource'], string> = {
  configured: 'the readinessStartDay prop',
  recorded: 'recorded by the first evaluation',
  default: `what the first evaluation will record: ${LOOKBACK_DAYS} days back`,
};

/** `statsig-s3 status` as a person reads it: each publish target, then what is outside the lookback. */
export function formatStatus(description: ReadinessDescription, nowMs: number): string {
  const at = new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
  let text = `s3://${description.bucket}: readiness at ${at} (Statsig's day ${statsigDayAt(nowMs)}, UTC−8)\n`;
  text += `start day ${description.startDay} (${SOURCES[description.startDaySource]})\n`;
  for (const target of description.targets) text += `\n${formatTarget(target, nowMs)}`;
  const outside = description.outsideLookback;
  if (outside.length > 0) {
    const days = [...new Set(outside.map((entry) => entry.day))];
    text += `\noutside the lookback: ${plural(days.length, 'day')} with data before ${description.startDay} `;
    text += `(${days[0]} … ${days[days.length - 1]}): never published, never blocking\n`;
  }
  return text;
}

function formatTarget(target: TargetDescription, nowMs: number): string {
  let text = `${target.target} (${target.datasets.join(', ')})\n`;
  text += row('last published', target.lastPublished ?? 'none yet');
  if (target.publishable.length > 0) {
    text += row(
      'publishable now',
      `${target.publishable.map((p) => p.day).join(', ')} (the next evaluation publishes)`,
    );
  }
  const { blocking } = target;
  if (blocking) {
    text += row('blocked at', describeWait(blocking, nowMs));
    text += more(`look at: ${blocking.key}`);
    text += more(`to release: ${blocking.remedy}`);
    if (blocking.pendingFiles > 0) {
      text += more(`${plural(blocking.pendingFiles, 'file')} without a verdict:`);
      for (const { key } of target.pendingOfBlocking.slice(0, PENDING_SHOWN)) text += more(`  ${key}`);
      if (blocking.pendingFiles > PENDING_SHOWN) text += more(`  … and ${blocking.pendingFiles - PENDING_SHOWN} more`);
    }
  }
  if (target.held.length > 0) text += row('held', `${target.held.join(', ')} (complete, behind ${blocking!.day})`);
  for (const wait of target.waiting.filter((w) => w !== blocking && w.reason !== 'held')) {
    text += row('also waiting', describeWait(wait, nowMs));
    text += more(`look at: ${wait.key}`);
  }
  if (target.notEnded) text += row('not ended yet', `${target.notEnded} and later (published once the day ends)`);
  if (target.waiting.length === 0 && target.publishable.length === 0) text += row('waiting', 'nothing');
  return text;
}

function describeWait(wait: DayWait, nowMs: number): string {
  const stall = wait.stalled ? `; STALLED ${hoursSince(statsigDayEndMs(wait.day), nowMs)} h after the day ended` : '';
  return `${wait.day} ${wait.dataset}: ${wait.says}${stall}`;
}

const hoursSince = (fromMs: number, nowMs: number) => Math.floor((nowMs - fromMs) / 3_600_000);

/** `--json`: the description without the function's private state, the pending files of each blocking day named. */
export function statusJson(description: ReadinessDescription, nowMs: number) {
  return {
    bucket: description.bucket,
    at: new Date(nowMs).toISOString(),
    statsigDay: statsigDayAt(nowMs),
    startDay: description.startDay,
    startDaySource: description.startDaySource,
    outsideLookback: description.outsideLookback,
    targets: description.targets.map(({ pendingOfBlocking, ...target }) => ({
      ...target,
      blocking: target.blocking && { ...target.blocking, pending: pendingOfBlocking.map((file) => file.key) },
    })),
  };
}
