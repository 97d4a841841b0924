/** How hard the function insists on one call before giving up (and, for AWS calls, giving the SQS message back). */
export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** The jitter's source, uniform in [0, 1): `Math.random` unless a test needs the delays to be known. */
  readonly random?: () => number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 5_000 };

export interface RetryNotice {
  /** The attempt that just failed, 1-based. */
  readonly attempt: number;
  readonly delayMs: number;
  /** THROTTLING, TRANSIENT, SERVER_ERROR, or BODY for a response body cut short. */
  readonly errorType: string;
  readonly error?: unknown;
}

export type RetryObserver = (notice: RetryNotice) => void;

/**
 * Exponential backoff, half of it jitter: retries of many Lambdas hitting one throttled prefix spread out, and none
 * comes back at once.
 */
export function backoffDelayMs(policy: RetryPolicy, attempt: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const random = policy.random ?? Math.random;
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * The decision after attempt `attempt` failed with an error of `errorType` (undefined: the error is an answer, not
 * an accident): the delay before the next attempt, reported to `observe`, or undefined when there is none.
 */
export function nextRetryDelay(
  policy: RetryPolicy,
  attempt: number,
  failure: { readonly errorType: string | undefined; readonly error: unknown },
  observe?: RetryObserver,
): number | undefined {
  if (failure.errorType === undefined || attempt >= policy.maxAttempts) return undefined;
  const delayMs = backoffDelayMs(policy, attempt);
  observe?.({ attempt, delayMs, errorType: failure.errorType, error: failure.error });
  return delayMs;
}

export interface Retrying {
  /** The error type a thrown error is retried as, or undefined when it is final. */
  readonly classify: (error: unknown) => string | undefined;
  /** Left out where a retry is routine (a lost compare-and-swap), not a sign of trouble worth a metric. */
  readonly observe?: RetryObserver;
}

/** Runs `attempt` (given its 1-based number) until it returns, throws an error that is final, or the policy runs out. */
export async function withRetries<T>(
  policy: RetryPolicy,
  how: Retrying,
  attempt: (attempt: number) => Promise<T>,
): Promise<T> {
  for (let number = 1; ; number += 1) {
    try {
      return await attempt(number);
    } catch (error) {
      const delayMs = nextRetryDelay(policy, number, { errorType: how.classify(error), error }, how.observe);
      if (delayMs === undefined) throw error;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
