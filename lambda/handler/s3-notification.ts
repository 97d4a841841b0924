import * as z from '../validation/zod';

/**
 * The S3 event notification inside an SQS message body. Only the fields the handler reads are checked: Powertools'
 * own S3 schema also insists on fields we never use (it rejects an IPv6 `sourceIPAddress`, for one), and a record
 * failing on such a field would be dead-lettered instead of judged.
 */
const objectRecordSchema = z.object({
  eventSource: z.literal('aws:s3'),
  eventName: z.string().check(z.minLength(1)),
  eventTime: z.optional(z.string()),
  s3: z.object({
    bucket: z.object({ name: z.string().check(z.minLength(1)) }),
    object: z.object({
      key: z.string().check(z.minLength(1)),
      size: z.optional(z.number().check(z.nonnegative())),
      eTag: z.optional(z.string()),
      versionId: z.optional(z.string()),
      sequencer: z.optional(z.string()),
    }),
  }),
});

/** What S3 sends once when a notification configuration is saved. */
const testEventSchema = z.object({
  Service: z.literal('Amazon S3'),
  Event: z.literal('s3:TestEvent'),
  Bucket: z.string(),
});

const bodySchema = z.union([z.object({ Records: z.array(objectRecordSchema).check(z.minLength(1)) }), testEventSchema]);

export interface ObjectEvent {
  readonly eventName: string;
  readonly bucket: string;
  /** Decoded: the key exactly as stored. */
  readonly key: string;
  readonly size?: number;
  readonly eTag?: string;
  readonly versionId?: string;
  readonly sequencer?: string;
}

export type Notification =
  | { readonly kind: 'test'; readonly bucket: string }
  | { readonly kind: 'objects'; readonly events: readonly ObjectEvent[] };

/** Parses an SQS message body; throws on anything else, so that the message ends in the dead-letter queue. */
export function parseNotification(body: string): Notification {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new Error(`SQS message body is not JSON: ${body.slice(0, 200)}`);
  }
  const parsed = bodySchema.safeParse(json);
  if (!parsed.success)
    throw new Error(`SQS message body is not an S3 event notification: ${z.prettifyError(parsed.error)}`);
  if ('Event' in parsed.data) return { kind: 'test', bucket: parsed.data.Bucket };
  return {
    kind: 'objects',
    events: parsed.data.Records.map((record) => ({
      eventName: record.eventName,
      bucket: record.s3.bucket.name,
      key: decodeKey(record.s3.object.key),
      size: record.s3.object.size,
      eTag: record.s3.object.eTag,
      versionId: record.s3.object.versionId,
      sequencer: record.s3.object.sequencer,
    })),
  };
}

/** S3 URL-encodes keys in notifications, with `+` for a space (so a literal `+` arrives as `%2B`). */
export function decodeKey(encoded: string): string {
  return decodeURIComponent(encoded.replace(/\+/g, ' '));
}
