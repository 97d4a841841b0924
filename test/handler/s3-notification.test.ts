import { decodeKey, parseNotification } from '../../lambda/handler/s3-notification';
import { encodeKeyAsS3Does, s3EventRecord, testEvent } from '../doubles/s3-notifications';

describe('S3 notifications', () => {
  test.each([
    ['events/2024-05-01/my file.parquet', 'events/2024-05-01/my+file.parquet'],
    ['events/2024-05-01/a+b.parquet', 'events/2024-05-01/a%2Bb.parquet'],
    ['events/2024-05-01/café=1.parquet', 'events/2024-05-01/caf%C3%A9%3D1.parquet'],
  ])('%s arrives as %s and is decoded back', (key, encoded) => {
    expect(encodeKeyAsS3Does(key)).toBe(encoded);
    expect(decodeKey(encoded)).toBe(key);
  });

  test('an object record is read with its ETag, version and size', () => {
    const record = s3EventRecord('bucket', 'events/2024-05-01/a b.parquet', { eTag: 'abc', versionId: 'v1', size: 10 });
    expect(parseNotification(JSON.stringify({ Records: [record] }))).toEqual({
      kind: 'objects',
      events: [
        expect.objectContaining({
          bucket: 'bucket',
          key: 'events/2024-05-01/a b.parquet',
          eTag: 'abc',
          versionId: 'v1',
          size: 10,
        }),
      ],
    });
  });

  test('the s3:TestEvent is recognised', () => {
    expect(parseNotification(JSON.stringify(testEvent('bucket')))).toEqual({ kind: 'test', bucket: 'bucket' });
  });

  test.each(['not json', '{"Records":[]}', '{"Records":[{"eventSource":"aws:sqs"}]}'])('%s is refused', (body) => {
    expect(() => parseNotification(body)).toThrow(/SQS message body/);
  });
});
