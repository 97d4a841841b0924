import { type RetryObserver, type RetryPolicy, withRetries } from '../bucket/retry';
import { statsigDayEndMs } from '../validation';
import type { DailyDataset } from '../wire/datasets';
import { type ServerSecret } from './server-secret';
import type { PublishOutcome, PublishTarget } from './targets';

export const MARK_DATA_READY_PATH = '/v1/mark_data_ready';

/** How long one call may take before it counts as failed and is retried. */
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * The `timestamp` that closes `day`: "everything before it is loaded", so the start of D+1 in Statsig's fixed UTC−8,
 * in unix seconds (spec §5).
 */
export function markDataReadyTimestamp(day: string): number {
  return statsigDayEndMs(day) / 1000;
}

export interface StatsigApiOptions {
  readonly baseUrl: string;
  readonly secret: ServerSecret;
  readonly retry: RetryPolicy;
  readonly onRetry: RetryObserver;
}

/** Api mode: one target per dataset, each closing its days with `mark_data_ready` of its own type. */
export function markDataReadyTarget(dataset: DailyDataset, options: StatsigApiOptions): PublishTarget {
  return {
    name: dataset,
    datasets: [dataset],
    cumulative: true,
    publish: (_bucket, day) => markDataReady(options, dataset, markDataReadyTimestamp(day)),
  };
}

/**
 * `POST {baseUrl}/v1/mark_data_ready`. 429, 5xx and network failures are retried with the handler's backoff; any
 * other answer outside 2xx is final (a wrong key or a refused timestamp does not heal by asking again).
 */
async function markDataReady(
  options: StatsigApiOptions,
  type: DailyDataset,
  timestamp: number,
): Promise<PublishOutcome> {
  const url = `${options.baseUrl}${MARK_DATA_READY_PATH}`;
  const apiKey = await options.secret.value();
  try {
    const status = await withRetries(
      options.retry,
      { classify: retryAs, observe: options.onRetry },
      async (attempt) => {
        const answer = await post(url, apiKey, { timestamp, type });
        if (!answer.ok) throw new CallFailed(answer, attempt);
        return answer.status;
      },
    );
    return { ok: true, detail: { api: { url, type, timestamp, status } } };
  } catch (error) {
    if (!(error instanceof CallFailed)) throw error;
    const { answer, attempt } = error;
    return {
      ok: false,
      status: answer.status,
      message: `${url} ${answer.status ?? 'failed'}: ${answer.message} (type ${type}, timestamp ${timestamp}, ${attempt} attempt(s))`,
    };
  }
}

interface Answer {
  readonly ok: boolean;
  /** Undefined when no answer came (network failure, timeout). */
  readonly status?: number;
  readonly message: string;
}

/** No answer, or one outside 2xx: thrown so that the retry loop sees it, and the caller can tell it from a bug. */
class CallFailed extends Error {
  constructor(
    readonly answer: Answer,
    readonly attempt: number,
  ) {
    super(answer.message);
    this.name = 'CallFailed';
  }
}

function retryAs(error: unknown): string | undefined {
  if (!(error instanceof CallFailed)) return undefined;
  const { status } = error.answer;
  if (status === undefined) return 'TRANSIENT';
  if (status === 429) return 'THROTTLING';
  return status >= 500 ? 'SERVER_ERROR' : undefined;
}

async function post(url: string, apiKey: string, body: object): Promise<Answer> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'statsig-api-key': apiKey, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    // The response format is undocumented (spec §5): any 2xx is success, and a refusal's text is kept for the alert.
    const text = (await response.text()).slice(0, 500);
    return { ok: response.ok, status: response.status, message: text };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}
