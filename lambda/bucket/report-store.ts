import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ValidationReport } from '../validation';
import { isNotFound } from './object-version';

/**
 * The verdict on one object version, stored at `<reports prefix><key>.json`. It is written only after the outcome's
 * events went out, so a stored report for an ETag means that version was judged and announced; readiness reads these
 * to decide whether a day is complete.
 */
export interface StoredReport {
  readonly schemaVersion: 1;
  readonly bucket: string;
  readonly key: string;
  /** The ETag judged, without quotes. */
  readonly etag: string;
  readonly versionId?: string;
  /**
   * `too-large`: well formed as far as it was read, but too large to finish in one invocation (spec §6); it stays
   * where it is, unquarantined, and holds its day like an invalid file until it is split.
   */
  readonly verdict: StoredVerdict;
  readonly judgedAt: string;
  /** Where an invalid file was moved. */
  readonly quarantine?: { readonly key: string; readonly versionId?: string };
  readonly report: ValidationReport;
}

export type StoredVerdict = 'valid' | 'invalid' | 'too-large';

export function reportKey(reportsPrefix: string, key: string): string {
  return `${reportsPrefix}${key}.json`;
}

export class ReportStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly reportsPrefix: string,
  ) {}

  locate(key: string): { bucket: string; key: string } {
    return { bucket: this.bucket, key: reportKey(this.reportsPrefix, key) };
  }

  /** The last stored verdict for `key`; a report that cannot be read as one counts as none, so the file is judged again. */
  async load(key: string): Promise<StoredReport | undefined> {
    let text: string;
    try {
      const response = await this.s3.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: reportKey(this.reportsPrefix, key) }),
      );
      text = await response.Body!.transformToString();
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
    try {
      const stored = JSON.parse(text) as Partial<StoredReport>;
      return stored.schemaVersion === 1 && typeof stored.etag === 'string' && stored.report
        ? (stored as StoredReport)
        : undefined;
    } catch {
      return undefined;
    }
  }

  async save(stored: StoredReport): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: reportKey(this.reportsPrefix, stored.key),
        Body: JSON.stringify(stored, null, 2),
        ContentType: 'application/json',
      }),
    );
  }
}
