import { CopyObjectCommand, DeleteObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { isNotFound, isPreconditionFailed, type ObjectVersion } from '../bucket/object-version';

export interface QuarantineCopy {
  readonly key: string;
  readonly versionId?: string;
}

export function quarantineKey(quarantinePrefix: string, key: string): string {
  return `${quarantinePrefix}${key}`;
}

/**
 * Copies the judged version under the quarantine prefix, conditional on its ETag so that a newer upload is never
 * quarantined for an older version's faults. Returns undefined when the object changed or vanished meanwhile.
 */
export async function copyToQuarantine(
  s3: S3Client,
  version: ObjectVersion,
  quarantinePrefix: string,
): Promise<QuarantineCopy | undefined> {
  const target = quarantineKey(quarantinePrefix, version.key);
  const source = `${version.bucket}/${version.key.split('/').map(encodeURIComponent).join('/')}`;
  try {
    const copied = await s3.send(
      new CopyObjectCommand({
        Bucket: version.bucket,
        Key: target,
        CopySource: version.versionId ? `${source}?versionId=${encodeURIComponent(version.versionId)}` : source,
        CopySourceIfMatch: version.etagHeader,
      }),
    );
    return { key: target, versionId: copied.VersionId };
  } catch (error) {
    if (isPreconditionFailed(error) || isNotFound(error)) return undefined;
    throw error;
  }
}

/**
 * Removes the judged version from where Statsig reads it. The delete is conditional on the ETag (S3 conditional
 * delete): a file re-uploaded since the verdict stays, and is judged by its own event. In a versioned bucket the
 * delete only adds a delete marker, so the original version is kept too.
 */
export async function removeOriginal(
  s3: S3Client,
  version: ObjectVersion,
): Promise<'removed' | 'already-gone' | 'replaced'> {
  try {
    await s3.send(new DeleteObjectCommand({ Bucket: version.bucket, Key: version.key, IfMatch: version.etagHeader }));
    return 'removed';
  } catch (error) {
    if (isNotFound(error)) return 'already-gone';
    if (isPreconditionFailed(error)) return 'replaced';
    throw error;
  }
}
