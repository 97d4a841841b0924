import { createHash } from 'node:crypto';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { DailyDataset } from '../wire/datasets';
import { READINESS_STATE_FOLDERS } from '../wire/environment';
import type { BucketView } from './bucket-view';
import type { PendingFile } from './day-status';
import { verdictIndexPrefix, verdictsFromListing } from './verdict-index';

/**
 * One small object per dataset and day, `<state prefix>days/<dataset>/<day>.json`, that a verdict reads to learn
 * whether readiness waits for it: only the file named `waitingOn` starts an evaluation, so a day of N files costs
 * O(log N) evaluations in any order of arrival instead of one per verdict. Written only by the lease holder.
 */
export interface DayRecord {
  /** The pending file whose verdict makes readiness look at the day again. */
  readonly waitingOn?: string;
  /** The day was published: a file arriving for it now only gets a warning. */
  readonly published?: boolean;
}

export class DayRecords {
  constructor(
    private readonly s3: S3Client,
    private readonly view: BucketView,
    private readonly statePrefix: string,
  ) {}

  key(dataset: DailyDataset, day: string): string {
    return `${this.statePrefix}${READINESS_STATE_FOLDERS.days}${dataset}/${day}.json`;
  }

  async read(dataset: DailyDataset, day: string): Promise<DayRecord | undefined> {
    const found = await this.view.read(this.key(dataset, day));
    if (!found) return undefined;
    try {
      return JSON.parse(found.text) as DayRecord;
    } catch {
      return undefined;
    }
  }

  async write(dataset: DailyDataset, day: string, record: DayRecord): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.view.bucket,
        Key: this.key(dataset, day),
        Body: JSON.stringify(record),
        ContentType: 'application/json',
      }),
    );
  }

  /**
   * Waits for one of the day's pending files, chosen by a hash of its key rather than its place in the folder: a
   * queue draining in key order (or in reverse) then still ends the wait after O(log N) verdicts, not N. After the
   * record names a file, its verdict is looked for: the verdict's invocation may have read the record before it was
   * written. A file judged meanwhile gives way to the next one; after a few, this returns true and the caller looks
   * at the whole day again, as most of what it listed has changed.
   */
  async waitFor(dataset: DailyDataset, day: string, pending: readonly PendingFile[]): Promise<boolean> {
    const ranked = [...pending].sort((a, b) => (rank(a.key) < rank(b.key) ? -1 : 1));
    for (const chosen of ranked.slice(0, CANDIDATES)) {
      await this.write(dataset, day, { waitingOn: chosen.key });
      const entries = await this.view.list(`${verdictIndexPrefix(this.statePrefix, chosen.key)}/`);
      if (!verdictsFromListing(this.statePrefix, entries).get(chosen.key)?.has(chosen.etag)) return false;
    }
    return true;
  }
}

/** Pending files tried in turn before the day is looked at whole again. */
const CANDIDATES = 3;

function rank(key: string): string {
  return createHash('sha1').update(key).digest('hex');
}
