import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { isPreconditionFailed } from '../bucket/object-version';
import type { DailyDataset } from '../wire/datasets';
import { signalsFile, signalsKey } from './signals-file';
import type { PublishTarget } from './targets';

/**
 * Signals mode: one target waiting for every configured dataset. The file is written with `If-None-Match: *`, so it
 * is written once even if an invocation that wrote it died before recording it: the next one finds it there.
 */
export function signalsTarget(s3: S3Client, datasets: readonly DailyDataset[]): PublishTarget {
  return {
    name: 'signals',
    datasets,
    cumulative: false,
    publish: async (bucket, day) => {
      const key = signalsKey(day);
      try {
        await s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: signalsFile(day),
            ContentType: 'application/vnd.apache.parquet',
            IfNoneMatch: '*',
          }),
        );
        return { ok: true, detail: { signals: { bucket, key } } };
      } catch (error) {
        if (isPreconditionFailed(error))
          return { ok: true, detail: { signals: { bucket, key, alreadyPresent: true } } };
        throw error;
      }
    },
  };
}
