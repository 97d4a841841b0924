import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/** The version of an object the handler judges: everything after the HEAD is pinned to this ETag. */
export interface ObjectVersion {
  readonly bucket: string;
  readonly key: string;
  /** As S3 sends it in headers, quotes included: what `If-Match` takes. */
  readonly etagHeader: string;
  /** Without quotes, as in event notifications: what reports store and compare. */
  readonly etag: string;
  readonly versionId?: string;
  readonly size: number;
}

/** ETags arrive quoted in headers and listings, bare in event notifications; compare them bare. */
export function normalizeEtag(etag: string): string {
  return etag.replace(/^W\//, '').replace(/^"|"$/g, '');
}

/** The object's current version, or undefined when it no longer exists. */
export async function headObject(s3: S3Client, bucket: string, key: string): Promise<ObjectVersion | undefined> {
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    if (!head.ETag || head.ContentLength === undefined)
      throw new Error(`HEAD s3://${bucket}/${key} returned no ETag or length`);
    return {
      bucket,
      key,
      etagHeader: head.ETag,
      etag: normalizeEtag(head.ETag),
      versionId: head.VersionId,
      size: head.ContentLength,
    };
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

export function isNotFound(error: unknown): boolean {
  return httpStatus(error) === 404;
}

/** 412: the object is no longer the version a conditional request named. */
export function isPreconditionFailed(error: unknown): boolean {
  return httpStatus(error) === 412;
}

function httpStatus(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}
