import { randomUUID } from 'node:crypto';
import type { SQSEvent, SQSRecord } from 'aws-lambda';

/** S3 notifications as S3 writes them into SQS: keys URL-encoded with `+` for a space, `/` left as is. */
export function encodeKeyAsS3Does(key: string): string {
  return key
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/%20/g, '+'))
    .join('/');
}

export interface ObjectFacts {
  readonly eTag?: string;
  readonly size?: number;
  readonly versionId?: string;
  readonly eventName?: string;
}

export function s3EventRecord(bucket: string, key: string, facts: ObjectFacts = {}) {
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: 'us-east-1',
    eventTime: new Date().toISOString(),
    eventName: facts.eventName ?? 'ObjectCreated:Put',
    userIdentity: { principalId: 'AWS:AIDAEXAMPLE' },
    // An IPv6 producer: real notifications carry these, and they must not make the record unreadable.
    requestParameters: { sourceIPAddress: '2001:db8::17' },
    responseElements: {
      'x-amz-request-id': 'C3D13FE58DE4C810',
      'x-amz-id-2': 'FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD',
    },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'statsig-ingestion',
      bucket: { name: bucket, ownerIdentity: { principalId: 'A3NL1KOZZKExample' }, arn: `arn:aws:s3:::${bucket}` },
      object: {
        key: encodeKeyAsS3Does(key),
        size: facts.size,
        eTag: facts.eTag,
        versionId: facts.versionId,
        sequencer: '0055AED6DCD90281E5',
      },
    },
  };
}

export function sqsRecord(body: unknown, messageId = randomUUID()): SQSRecord {
  return {
    messageId,
    receiptHandle: `handle-${messageId}`,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: String(Date.now()),
      SenderId: 'AIDAEXAMPLE',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:statsig-ingestion',
    awsRegion: 'us-east-1',
  };
}

/** One SQS message per S3 record, as S3 sends them. */
export function sqsEvent(...records: ReturnType<typeof s3EventRecord>[]): SQSEvent {
  return { Records: records.map((record) => sqsRecord({ Records: [record] })) };
}

export function testEvent(bucket: string) {
  return {
    Service: 'Amazon S3',
    Event: 's3:TestEvent',
    Time: new Date().toISOString(),
    Bucket: bucket,
    RequestId: '5582815E1AEA5ADF',
    HostId: 'example',
  };
}
