import type { S3Client } from '@aws-sdk/client-s3';
import { listObjects } from '../../lambda/bucket/listing';
import { parseS3Uri, s3Uri } from './s3-location';
import { type Expanded, isIgnored, targetOf } from './targets';

/**
 * The objects under an `s3://bucket/prefix`, sorted and classified as the Lambda routes their keys: what it would
 * not judge is left out of a prefix, and told as ignored when the location names that one object.
 */
export async function expandS3Uri(s3: S3Client, uri: string): Promise<Expanded> {
  const { bucket, prefix } = parseS3Uri(uri);
  const keys = (await listObjects(s3, bucket, prefix)).map((object) => object.key).sort();
  const entries = keys.map((key) => targetOf(s3Uri(bucket, key)));
  if (keys.length === 1 && keys[0] === prefix) {
    const [entry] = entries;
    return isIgnored(entry)
      ? { targets: [], ignored: [entry], emptyFolders: [] }
      : { targets: [entry], ignored: [], emptyFolders: [] };
  }
  const targets = entries.filter((entry) => !isIgnored(entry));
  return { targets, ignored: [], emptyFolders: targets.length ? [] : [uri] };
}
