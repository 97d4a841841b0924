import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { isNotFound, isPreconditionFailed } from '../bucket/object-version';
import { type RetryPolicy, withRetries } from '../bucket/retry';
import { type BucketView, s3BucketView } from './bucket-view';

/**
 * Readiness's durable memory: one JSON object per bucket, `<state prefix>readiness.json`. It lives in the bucket
 * itself, under a prefix Statsig never reads, because S3 gives everything it needs without another service to deploy
 * or permit: strong read-after-write consistency, conditional writes (`If-Match` / `If-None-Match`) for
 * compare-and-swap, and, in the versioned bucket, the history of every change as an audit trail.
 */
export interface ReadinessState {
  readonly schemaVersion: 1;
  /** The last day published per target (`signals`, or a dataset in api mode): what Statsig has been told. */
  readonly published: Readonly<Record<string, string>>;
  /** The last hold or API failure announced per target and kind, so that evaluating again does not alert again. */
  readonly notices: Readonly<Record<string, string>>;
  /** The invocation deciding and publishing right now; no one else publishes until it lets go or the lease ends. */
  readonly lease?: { readonly owner: string; readonly expiresAtMs: number };
  /** Set by an invocation that found the lease taken: the holder evaluates once more before it lets go. */
  readonly recheck: boolean;
  /**
   * The first day readiness considers (spec §7, lookback), recorded by the first evaluation unless the construct
   * sets one: 28 days before that evaluation, as Statsig ingests at most four weeks back.
   */
  readonly startDay?: string;
  /** Whether the days with data before the start day were reported (once, by the first evaluation). */
  readonly outsideReported?: boolean;
}

export const EMPTY_STATE: ReadinessState = { schemaVersion: 1, published: {}, notices: {}, recheck: false };

export const STATE_OBJECT_NAME = 'readiness.json';

export function stateKey(statePrefix: string): string {
  return `${statePrefix}${STATE_OBJECT_NAME}`;
}

/** The state and the ETag it was read at; the empty state when there is none yet. */
export async function readState(
  view: BucketView,
  key: string,
): Promise<{ readonly state: ReadinessState; readonly etag?: string }> {
  const found = await view.read(key);
  return found ? { state: parseState(found.text, key), etag: found.etag } : { state: EMPTY_STATE };
}

/** A change to the state and what it tells its caller; returning the state unchanged writes nothing. */
export type StateChange<T> = (state: ReadinessState) => { readonly state: ReadinessState; readonly result: T };

/**
 * Writers that lost this many compare-and-swaps in a row give the record back to SQS rather than spin; the jitter
 * spreads the losers out, so that one of them wins the next round.
 */
const LOST_RACE_RETRY: RetryPolicy = { maxAttempts: 40, baseDelayMs: 10, maxDelayMs: 50 };

export class StateStore {
  readonly key: string;

  constructor(
    private readonly s3: S3Client,
    readonly bucket: string,
    statePrefix: string,
  ) {
    this.key = stateKey(statePrefix);
  }

  async read(): Promise<{ readonly state: ReadinessState; readonly etag?: string }> {
    return readState(s3BucketView(this.s3, this.bucket), this.key);
  }

  /**
   * Read, change, write back only if no one wrote in between (`If-Match` on the ETag read, or `If-None-Match: *`
   * when there was no state yet); on a lost race, read again and apply the change to what won.
   */
  async update<T>(change: StateChange<T>): Promise<T> {
    return withRetries(
      LOST_RACE_RETRY,
      { classify: (error) => (lostRace(error) ? 'CONFLICT' : undefined) },
      async () => {
        const { state, etag } = await this.read();
        const next = change(state);
        if (next.state === state) return next.result;
        await this.s3.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: this.key,
            Body: JSON.stringify(next.state, null, 2),
            ContentType: 'application/json',
            ...(etag ? { IfMatch: etag } : { IfNoneMatch: '*' }),
          }),
        );
        return next.result;
      },
    );
  }
}

/**
 * 412: someone wrote since our read. 409 ConditionalRequestConflict: S3 saw two conditional writes to the key at once.
 * 404: `If-Match` named a state that was deleted meanwhile. Each means "read again".
 */
function lostRace(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return isPreconditionFailed(error) || status === 409 || isNotFound(error);
}

function parseState(text: string, key: string): ReadinessState {
  const parsed = JSON.parse(text) as Partial<ReadinessState>;
  // A state we cannot read must stop publication, never restart it from nothing: that could send earlier days again.
  if (parsed.schemaVersion !== 1 || typeof parsed.published !== 'object' || parsed.published === null) {
    throw new Error(`readiness state ${key} is not a schemaVersion 1 state; fix or restore an earlier version of it`);
  }
  return { ...EMPTY_STATE, ...parsed } as ReadinessState;
}
