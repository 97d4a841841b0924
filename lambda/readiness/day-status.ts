import { normalizeEtag } from '../bucket/object-version';
import { classifyKey, MARKER_NAME } from '../validation';
import type { DailyDataset } from '../wire/datasets';
import type { BucketView } from './bucket-view';
import { verdictIndexPrefix, verdictsFromListing } from './verdict-index';
import { VERDICT_BLOCKS, type WaitReason } from './wait-reasons';

/** Why a day of one dataset is not complete, with the object to look at. */
export type Incomplete = {
  readonly dataset: DailyDataset;
  readonly key: string;
  readonly reason: Exclude<WaitReason, 'held'>;
  /** Files of the day without a verdict for their current ETag. */
  readonly pendingFiles: number;
};

/** A pending file and the ETag it waits with. */
export interface PendingFile {
  readonly key: string;
  readonly etag: string;
}

export type DayStatus =
  | { readonly complete: true; readonly files: number }
  | ({ readonly complete: false; readonly pending: readonly PendingFile[] } & Incomplete);

/**
 * The state of one dataset's day folder (spec §7), from three listings read in parallel and nothing else: the folder
 * (files, ETags, the marker), the verdict index of the day, and the quarantine of the day. A thousand files a request,
 * whatever the order in which files, verdicts and the marker arrived.
 */
export async function dayStatus(
  view: BucketView,
  prefixes: { readonly statePrefix: string; readonly quarantinePrefix: string },
  dataset: DailyDataset,
  day: string,
): Promise<DayStatus> {
  const folder = `${dataset}/${day}/`;
  const [objects, index, quarantined] = await Promise.all([
    view.list(folder),
    view.list(`${verdictIndexPrefix(prefixes.statePrefix, folder)}`),
    view.list(`${prefixes.quarantinePrefix}${folder}`),
  ]);
  const verdicts = verdictsFromListing(prefixes.statePrefix, index);
  // Misplaced files count too: they are still where Statsig reads until they are quarantined.
  const files = objects.filter((object) => ['data', 'misplaced'].includes(classifyKey(object.key).kind));
  const pending: PendingFile[] = [];
  let blocking: Incomplete | undefined;
  for (const file of files) {
    const etag = normalizeEtag(file.etag);
    const verdict = verdicts.get(file.key)?.get(etag);
    if (verdict === undefined) pending.push({ key: file.key, etag });
    else blocking ??= blocked(dataset, file.key, VERDICT_BLOCKS[verdict]);
  }
  const incomplete = (found: Incomplete): DayStatus => ({
    complete: false,
    pending,
    ...found,
    pendingFiles: pending.length,
  });

  const marker = objects.find((object) => object.key === `${folder}${MARKER_NAME}`);
  if (!marker) return incomplete({ dataset, key: `${folder}${MARKER_NAME}`, reason: 'no-marker', pendingFiles: 0 });
  // Listings give times to the second at best: a quarantine in the marker's own second counts as after it.
  const armedAt = Math.floor(marker.lastModified.getTime() / 1000);
  const late = quarantined.find((object) => Math.floor(object.lastModified.getTime() / 1000) >= armedAt);
  if (late) return incomplete({ dataset, key: late.key, reason: 'quarantined-after-marker', pendingFiles: 0 });
  if (blocking) return incomplete(blocking);
  if (pending.length > 0) return incomplete({ dataset, key: pending[0].key, reason: 'pending', pendingFiles: 0 });
  return { complete: true, files: files.length };
}

function blocked(dataset: DailyDataset, key: string, reason: Incomplete['reason'] | undefined) {
  return reason === undefined ? undefined : { dataset, key, reason, pendingFiles: 0 };
}
