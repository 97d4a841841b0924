import { CopyObjectCommand, DeleteObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { listObjects, type ListedObject } from '../../lambda/bucket/listing';
import { isNotFound } from '../../lambda/bucket/object-version';
import { ReportStore } from '../../lambda/bucket/report-store';
import { PRODUCT_PREFIXES } from '../../lambda/wire/environment';
import { type RestoreArgs, UsageError } from './args';
import { cliS3Client, toldRetries } from './s3-client';
import { parseS3Uri, s3Uri } from './s3-location';
import type { Output } from './validate-command';

const QUARANTINE = PRODUCT_PREFIXES.quarantine;

/**
 * Puts quarantined objects back at the keys they were quarantined from (quarantine keeps the original key after its
 * prefix), so the pipeline judges them again, e.g. after an ID type was added. Resolves to the exit code: 0 when
 * every object was restored (or, with --dry-run, would be), 1 when one was refused.
 */
export async function runRestore(args: RestoreArgs, output: Output): Promise<number> {
  const locations = args.uris.map(parseS3Uri);
  const outside = args.uris.filter((_, index) => !locations[index].prefix.startsWith(QUARANTINE));
  if (outside.length) throw new UsageError(`restore takes only keys under ${QUARANTINE}: ${outside.join(', ')}`);
  const s3 = cliS3Client(args, toldRetries(output.stderr));
  try {
    let refused = 0;
    let restored = 0;
    for (const { bucket, prefix } of locations) {
      const objects = await listObjects(s3, bucket, prefix);
      if (objects.length === 0) output.stdout.write(`nothing quarantined under ${s3Uri(bucket, prefix)}\n`);
      for (const object of objects) {
        const line = await restoreOne(s3, bucket, object, args.dryRun);
        output.stdout.write(`${line.text}\n`);
        if (line.refused) refused += 1;
        else restored += 1;
      }
    }
    const verb = args.dryRun ? 'would be restored (dry run: nothing changed)' : 'restored';
    output.stdout.write(`${restored} object${restored === 1 ? '' : 's'} ${verb}, ${refused} refused\n`);
    return refused ? 1 : 0;
  } finally {
    s3.destroy();
  }
}

async function restoreOne(
  s3: S3Client,
  bucket: string,
  object: ListedObject,
  dryRun: boolean,
): Promise<{ text: string; refused?: boolean }> {
  const original = object.key.slice(QUARANTINE.length);
  const from = s3Uri(bucket, object.key);
  const to = s3Uri(bucket, original);
  const present = await lastModified(s3, bucket, original);
  if (present && present > object.lastModified)
    return {
      text: `REFUSED  ${from}: ${to} holds a newer object (${present.toISOString()}); left both`,
      refused: true,
    };
  if (dryRun) return { text: `WOULD    ${from} → ${to}` };
  // The stored verdict goes first: with it, the pipeline would reuse the old verdict for the same bytes.
  const reports = new ReportStore(s3, bucket, PRODUCT_PREFIXES.reports);
  await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: reports.locate(original).key }));
  await s3.send(
    new CopyObjectCommand({
      Bucket: bucket,
      Key: original,
      CopySource: `${bucket}/${object.key.split('/').map(encodeURIComponent).join('/')}`,
      CopySourceIfMatch: object.etag,
    }),
  );
  // Only a copy that succeeded lets the quarantined one go, and only the version that was copied.
  await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: object.key, IfMatch: object.etag }));
  return { text: `RESTORED ${from} → ${to}` };
}

async function lastModified(s3: S3Client, bucket: string, key: string): Promise<Date | undefined> {
  try {
    return (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).LastModified;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}
