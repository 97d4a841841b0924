import { type S3Client } from '@aws-sdk/client-s3';
import { Limiter } from '../bucket/limiter';
import { normalizeEtag } from '../bucket/object-version';
import { ReportStore } from '../bucket/report-store';
import { classifyKey, isCalendarDay, MARKER_NAME } from '../validation';
import type { DailyDataset } from '../wire/datasets';
import { listFolders, listObjects } from '../bucket/listing';

/** Why a day of one dataset is not complete, with the object to look at. */
export type Incomplete = {
  readonly dataset: DailyDataset;
  readonly key: string;
  /**
   * `no-marker`: `_SUCCESS` is missing. `pending`: the file has no verdict for its current ETag yet. `rejected`: it
   * was judged invalid and is on its way to quarantine. `quarantined-after-marker`: a file of the folder was
   * quarantined after `_SUCCESS` was written, so the producer's "complete" no longer holds until it writes it again.
   */
  readonly reason: 'no-marker' | 'pending' | 'rejected' | 'quarantined-after-marker';
};

export type DayStatus = { readonly complete: true } | ({ readonly complete: false } & Incomplete);

/** Report reads in flight at once while a day folder is checked. */
const REPORT_READS = 8;

/** What the bucket says about day folders (spec §7): read fresh every time, S3 being strongly consistent. */
export class DayInspector {
  private readonly reports: ReportStore;

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    reportsPrefix: string,
    private readonly quarantinePrefix: string,
  ) {
    this.reports = new ReportStore(s3, bucket, reportsPrefix);
  }

  /**
   * Days of `dataset` that have any data: a day folder, or quarantined files of one. A day whose every file was
   * quarantined has no folder left, yet it is not a day without data: Statsig must not be told it is loaded.
   */
  async daysWithData(dataset: DailyDataset): Promise<string[]> {
    const [live, quarantined] = await Promise.all([
      listFolders(this.s3, this.bucket, `${dataset}/`),
      listFolders(this.s3, this.bucket, `${this.quarantinePrefix}${dataset}/`),
    ]);
    return [...new Set([...live, ...quarantined])].filter(isCalendarDay).sort();
  }

  async status(dataset: DailyDataset, day: string): Promise<DayStatus> {
    const folder = `${dataset}/${day}/`;
    const objects = await listObjects(this.s3, this.bucket, folder);
    const marker = objects.find((object) => object.key === `${folder}${MARKER_NAME}`);
    if (!marker) return incomplete(dataset, `${folder}${MARKER_NAME}`, 'no-marker');

    // Listings give times to the second at best: a quarantine in the marker's own second counts as after it.
    const armedAt = Math.floor(marker.lastModified.getTime() / 1000);
    const quarantined = await listObjects(this.s3, this.bucket, `${this.quarantinePrefix}${folder}`);
    const late = quarantined.find((object) => Math.floor(object.lastModified.getTime() / 1000) >= armedAt);
    if (late) return incomplete(dataset, late.key, 'quarantined-after-marker');

    // Misplaced files count too: they are still where Statsig reads until they are quarantined.
    const files = objects.filter((object) => ['data', 'misplaced'].includes(classifyKey(object.key).kind));
    const limiter = new Limiter(REPORT_READS);
    const verdicts = await Promise.all(
      files.map((file) =>
        limiter.run(async () => {
          const report = await this.reports.load(file.key);
          if (report?.etag !== normalizeEtag(file.etag)) return incomplete(dataset, file.key, 'pending');
          return report.verdict === 'valid' ? undefined : incomplete(dataset, file.key, 'rejected');
        }),
      ),
    );
    return verdicts.find((verdict) => verdict !== undefined) ?? { complete: true };
  }
}

function incomplete(dataset: DailyDataset, key: string, reason: Incomplete['reason']): DayStatus {
  return { complete: false, dataset, key, reason };
}
