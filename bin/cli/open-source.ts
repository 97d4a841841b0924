import type { S3Client } from '@aws-sdk/client-s3';
import { headObject } from '../../lambda/bucket/object-version';
import { DEFAULT_RETRY_POLICY, type RetryObserver } from '../../lambda/bucket/retry';
import { DEFAULT_RANGE_READ_LIMITS, S3ByteSource } from '../../lambda/bucket/s3-byte-source';
import { openFileByteSource } from './file-byte-source';
import type { ClosableSource } from './read-progress';
import { isS3Uri, parseS3Uri } from './s3-location';

/**
 * The bytes of a local file, or of an object's current version through the Lambda's own ranged, ETag-pinned reads,
 * so that an `s3://` verdict is the one the Lambda would reach on the same object.
 */
export async function openSource(path: string, s3: () => S3Client, onRetry: RetryObserver): Promise<ClosableSource> {
  if (!isS3Uri(path)) return openFileByteSource(path);
  const { bucket, prefix: key } = parseS3Uri(path);
  const version = await headObject(s3(), bucket, key);
  if (!version) throw new Error(`${path} no longer exists (deleted after it was listed)`);
  const source = new S3ByteSource(s3(), version, DEFAULT_RANGE_READ_LIMITS, DEFAULT_RETRY_POLICY, onRetry);
  return {
    byteLength: source.byteLength,
    slice: async (start, end) => source.slice(start, end),
    // A failed read is never a verdict: the core may have turned it into a finding, so it is raised here instead.
    close: async () => {
      if (source.failure !== undefined) throw source.failure;
    },
  };
}
