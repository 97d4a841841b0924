import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { type ListedObject, listFolders, listObjects } from '../bucket/listing';
import { isNotFound } from '../bucket/object-version';

/**
 * What readiness reads of a bucket, and nothing it writes: the description of readiness (`describeReadiness`) runs on
 * this alone, so the CLI's `status` and the function decide from the same reads.
 */
export interface BucketView {
  readonly bucket: string;
  /** Every object under `prefix`, all pages. */
  list(prefix: string): Promise<ListedObject[]>;
  /** The sub-folder names directly under `prefix`, from the first one after `startAfter` on. */
  listFolders(prefix: string, startAfter?: string): Promise<string[]>;
  /** An object's text, or undefined when there is none. */
  read(key: string): Promise<{ readonly text: string; readonly etag?: string } | undefined>;
}

export function s3BucketView(s3: S3Client, bucket: string): BucketView {
  return {
    bucket,
    list: (prefix) => listObjects(s3, bucket, prefix),
    listFolders: (prefix, startAfter) => listFolders(s3, bucket, prefix, startAfter),
    read: async (key) => {
      try {
        const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return { text: await response.Body!.transformToString(), etag: response.ETag };
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
  };
}
