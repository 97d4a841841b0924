import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, utimes } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FilesystemStore, StoreObject } from 's3rver';

/**
 * Two changes to s3rver 3.7.1's filesystem store, in the s3rver process.
 *
 * Its `putObject` resolves once the request body has passed through its MD5 hash, not once the file holding the
 * object is written, and s3rver answers the PUT then: a GET right after could read an empty or partial object (under
 * two busy cores, 2 of 384 PUTs resolved before their file had its full size). Here a PUT resolves only once the
 * object, its MD5 and its metadata are all on disk, as S3's read-after-write consistency promises.
 *
 * s3rver lists the object file's modification time as LastModified, to the second as S3 does. Here every object
 * written or copied gets its modification time from `clock`, so that a test can move S3's clock past a second
 * instead of sleeping through one.
 */
export function repairStore(store: FilesystemStore, clock: () => Date): void {
  const stamp = async (bucket: string, key: string) => {
    const now = clock();
    await utimes(store.getResourcePath(bucket, key, 'object'), now, now);
  };

  store.putObject = async (object: StoreObject) => {
    const path = store.getResourcePath(object.bucket, object.key, 'object');
    await mkdir(dirname(path), { recursive: true });
    const md5 = createHash('md5');
    let size = 0;
    const measure = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        md5.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    const content = Buffer.isBuffer(object.content) ? Readable.from([object.content]) : object.content;
    await pipeline(content, measure, createWriteStream(path));
    const digest = md5.digest('hex');
    await store.putMetadata(object.bucket, object.key, object.metadata, digest);
    await stamp(object.bucket, object.key);
    return { size, md5: digest };
  };

  const copyObject = store.copyObject.bind(store);
  store.copyObject = async (sourceBucket, sourceKey, bucket, key, replacementMetadata) => {
    await copyObject(sourceBucket, sourceKey, bucket, key, replacementMetadata);
    await stamp(bucket, key);
    return store.getMetadata(bucket, key);
  };
}
