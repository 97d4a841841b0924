import { paginateListObjectsV2, type ListObjectsV2CommandOutput, type S3Client } from '@aws-sdk/client-s3';

export interface ListedObject {
  readonly key: string;
  /** Quoted, as listings return it. */
  readonly etag: string;
  readonly lastModified: Date;
}

/** Every page of the listing of `prefix`: the SDK's paginator follows the continuation tokens. */
function listPages(s3: S3Client, bucket: string, prefix: string, delimiter?: string, startAfter?: string) {
  return paginateListObjectsV2(
    { client: s3 },
    { Bucket: bucket, Prefix: prefix, Delimiter: delimiter, StartAfter: startAfter },
  );
}

/** Every object under `prefix`, all pages. */
export async function listObjects(s3: S3Client, bucket: string, prefix: string): Promise<ListedObject[]> {
  const objects: ListedObject[] = [];
  for await (const page of listPages(s3, bucket, prefix)) objects.push(...listedObjects(page));
  return objects;
}

/**
 * The names of the sub-folders directly under `prefix` (`events/` → `2024-05-01`, ...), all pages; from the first
 * name after `startAfter` on, when given, so that a long history before it costs nothing.
 */
export async function listFolders(
  s3: S3Client,
  bucket: string,
  prefix: string,
  startAfter?: string,
): Promise<string[]> {
  const folders: string[] = [];
  for await (const page of listPages(
    s3,
    bucket,
    prefix,
    '/',
    startAfter === undefined ? undefined : prefix + startAfter,
  )) {
    for (const common of page.CommonPrefixes ?? []) {
      if (common.Prefix) folders.push(common.Prefix.slice(prefix.length, -1));
    }
  }
  return folders;
}

function listedObjects(page: ListObjectsV2CommandOutput): ListedObject[] {
  return (page.Contents ?? []).flatMap((item) =>
    item.Key && item.ETag && item.LastModified
      ? [{ key: item.Key, etag: item.ETag, lastModified: item.LastModified }]
      : [],
  );
}
