import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from '@smithy/types';

/** How hard the handler insists on one AWS call before giving the SQS message back for a later try. */
export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
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

/** Exponential backoff with full jitter: retries of many Lambdas hitting one throttled prefix spread out. */
export function backoffDelayMs(policy: RetryPolicy, attempt: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

/**
 * The SDK's retry strategy, with our policy and a report of every retry: the SDK classifies the error (throttling,
 * transient network errors, 5xx), this decides whether and when to try again. Client errors (404, 412, 403) are
 * never retried: they are answers, not accidents.
 */
export function retryStrategy(policy: RetryPolicy, observe: RetryObserver): RetryStrategyV2 {
  const token = (retryCount: number, delayMs: number): RetryToken => ({
    getRetryCount: () => retryCount,
    getRetryDelay: () => delayMs,
  });
  return {
    acquireInitialRetryToken: async () => token(0, 0),
    refreshRetryTokenForRetry: async (previous: RetryToken, info: RetryErrorInfo) => {
      const attempt = previous.getRetryCount() + 1;
      if (info.errorType === 'CLIENT_ERROR' || attempt >= policy.maxAttempts)
        throw info.error ?? new Error('no retry left');
      const delayMs = backoffDelayMs(policy, attempt);
      observe({ attempt, delayMs, errorType: info.errorType, error: info.error });
      return token(attempt, delayMs);
    },
    recordSuccess: () => undefined,
  };
}
