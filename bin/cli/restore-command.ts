import { CopyObjectCommand, DeleteObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { listObjects, type ListedObject } from '../../lambda/bucket/listing';
import { isNotFound } from '../../lambda/bucket/object-version';
import { ReportStore } from '../../lambda/bucket/report-store';
import { classifyKey, MARKER_NAME } from '../../lambda/validation/keys';
import { PRODUCT_PREFIXES } from '../../lambda/wire/environment';
import { type RestoreArgs, UsageError } from './args';
import { cliS3Client, toldRetries } from './s3-client';
import { parseS3Uri, type S3Location, s3Uri } from './s3-location';
import type { Output } from './validate-command';

const QUARANTINE = PRODUCT_PREFIXES.quarantine;

/**
 * Puts quarantined objects back at the keys they were quarantined from (quarantine keeps the original key after its
 * prefix), so the pipeline judges them again, e.g. after an ID type was added. Acts only when told `--yes`: a
 * restore writes where Statsig reads. Resolves to the exit code: 0 when every object was restored (or would be),
 * 1 when one was refused.
 */
export async function runRestore(args: RestoreArgs, output: Output): Promise<number> {
  const locations = args.uris.map(parseS3Uri);
  const outside = args.uris.filter((_, index) => !locations[index].prefix.startsWith(QUARANTINE));
  if (outside.length) throw new UsageError(`restore takes only keys under ${QUARANTINE}: ${outside.join(', ')}`);
  const s3 = cliS3Client(args, toldRetries(output.stderr));
  try {
    const dryRun = !args.yes;
    let refused = 0;
    const markers = new Map<string, S3Location>();
    let restored = 0;
    for (const { bucket, prefix } of locations) {
      const objects = await listObjects(s3, bucket, prefix);
      if (objects.length === 0) output.stdout.write(`nothing quarantined under ${s3Uri(bucket, prefix)}\n`);
      for (const object of objects) {
        const line = await restoreOne(s3, bucket, object, dryRun);
        output.stdout.write(`${line.text}\n`);
        if (line.refused) {
          refused += 1;
          continue;
        }
        restored += 1;
        const place = classifyKey(object.key.slice(QUARANTINE.length));
        if (place.kind !== 'data') continue;
        const marker = { bucket, prefix: `${place.dataset}/${place.day}/${MARKER_NAME}` };
        markers.set(s3Uri(marker.bucket, marker.prefix), marker);
      }
    }
    const verb = dryRun ? 'would be restored (dry run: nothing changed; --yes restores)' : 'restored';
    output.stdout.write(`${restored} object${restored === 1 ? '' : 's'} ${verb}, ${refused} refused\n`);
    for (const marker of markers.values()) await tellRearm(s3, marker, output);
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

/**
 * A marker written before a file of its day was quarantined no longer counts (spec §7): the day waits until the
 * marker is written again. Restoring is the moment a person fixes that, so the step is told here.
 */
async function tellRearm(s3: S3Client, { bucket, prefix }: S3Location, output: Output): Promise<void> {
  if (!(await lastModified(s3, bucket, prefix))) return;
  const marker = s3Uri(bucket, prefix);
  output.stdout.write(`then upload ${marker} again: the day waits for a marker written after its quarantine\n`);
}

async function lastModified(s3: S3Client, bucket: string, key: string): Promise<Date | undefined> {
  try {
    return (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).LastModified;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}
