import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { startS3Server, type S3Server } from './s3-server';

const BUCKET = 'harness';

let server: S3Server;
let s3: S3Client;

beforeAll(async () => {
  server = await startS3Server([BUCKET]);
  s3 = server.client();
});
afterAll(() => server.stop());

/** A body whose bytes depend on the round, so that a read of an older or half-written version cannot pass for it. */
function body(writer: number, round: number): Buffer {
  const size = 1 + ((writer * 7919 + round * 104_729) % (96 * 1024));
  return Buffer.alloc(size, `${writer}:${round};`);
}

async function put(key: string, bytes: Buffer): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: bytes, ContentLength: bytes.length }));
}

async function get(key: string): Promise<Buffer> {
  const response = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return Buffer.from(await response.Body!.transformToByteArray());
}

describe('the S3 server harness', () => {
  test('a GET right after a PUT reads what was put, with many writers overwriting their keys at once', async () => {
    const writers = 16;
    const rounds = 20;
    const wrong: string[] = [];
    await Promise.all(
      Array.from({ length: writers }, async (_, writer) => {
        const key = `_state/writer-${writer}.json`;
        for (let round = 0; round < rounds; round += 1) {
          const sent = body(writer, round);
          await put(key, sent);
          const read = await get(key);
          if (!read.equals(sent)) wrong.push(`${key} round ${round}: put ${sent.length} bytes, read ${read.length}`);
        }
      }),
    );
    expect(wrong).toEqual([]);
  });

  test('advancing its clock dates the objects written after it and leaves earlier ones alone', async () => {
    const lastModified = async (key: string) =>
      (await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }))).LastModified!.getTime();
    await put('clock/before', Buffer.from('a'));
    const before = await lastModified('clock/before');

    await server.advanceClock(60_000);
    await put('clock/after', Buffer.from('b'));

    expect(await lastModified('clock/before')).toBe(before);
    expect((await lastModified('clock/after')) - before).toBeGreaterThanOrEqual(60_000);
    expect((await lastModified('clock/after')) - before).toBeLessThan(120_000);
  });
});
