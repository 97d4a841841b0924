import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from '@smithy/types';
import { nextRetryDelay, type RetryObserver, type RetryPolicy } from './retry';

/**
 * The SDK's retry strategy, with our policy and a report of every retry: the SDK runs the attempts and classifies
 * the error (throttling, transient network errors, 5xx), the policy decides whether and when to try again. Client
 * errors (404, 412, 403) are never retried: they are answers, not accidents.
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
      const errorType = info.errorType === 'CLIENT_ERROR' ? undefined : info.errorType;
      const delayMs = nextRetryDelay(policy, attempt, { errorType, error: info.error }, observe);
      if (delayMs === undefined) throw info.error ?? new Error('no retry left');
      return token(attempt, delayMs);
    },
    recordSuccess: () => undefined,
  };
}
