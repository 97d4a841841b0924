import * as z from '../validation/zod';
import { DAILY_DATASETS, DailyDataset } from '../validation/dataset';
import { DEFAULT_ID_TYPES, TIMESTAMP_UNITS } from '../validation/options';
import { ENV, PRODUCT_PREFIXES } from './environment-names';

/**
 * A product prefix must start with `_`: Statsig's reader skips such names and the key router ignores them, so a
 * quarantined file or a report can never be read by Statsig nor judged again as data.
 */
const productPrefix = (fallback: string) =>
  z._default(z.string().check(z.regex(/^_[^/]*(\/[^/]+)*\/$/, 'must start with _ and end with /, e.g. _quarantine/')), fallback);

const commaList = z.pipe(
  z.pipe(z.string(), z.transform((value: string) => value.split(',').map((item) => item.trim()).filter(Boolean))),
  z.array(z.string().check(z.minLength(1))).check(z.minLength(1)),
);

const envSchema = z.object({
  [ENV.idTypes]: z._default(commaList, [...DEFAULT_ID_TYPES]),
  [ENV.timestampUnit]: z._default(z.enum(TIMESTAMP_UNITS), 'seconds'),
  [ENV.quarantinePrefix]: productPrefix(PRODUCT_PREFIXES.quarantine),
  [ENV.reportsPrefix]: productPrefix(PRODUCT_PREFIXES.reports),
  [ENV.statePrefix]: productPrefix(PRODUCT_PREFIXES.state),
  [ENV.readinessMode]: z.enum(['signals', 'api']).default('signals'),
  [ENV.statsigApiSecretArn]: z.string().regex(/^arn:[^:]+:secretsmanager:/, 'must be a Secrets Manager secret ARN').optional(),
  [ENV.statsigApiBaseUrl]: z.url({ protocol: /^https?$/ }).regex(/[^/]$/, 'must not end with /').default(DEFAULT_STATSIG_API_BASE_URL),
  [ENV.eventBusName]: z.string().check(z.minLength(1)),
  [ENV.alertsTopicArn]: z.string().check(z.regex(/^arn:[^:]+:sns:/, 'must be an SNS topic ARN')),
});

export interface HandlerConfig {
  /** The daily datasets in use; readiness waits for all of them. */
  readonly datasets: readonly DailyDataset[];
  readonly idTypes: readonly string[];
  readonly timestampUnit: (typeof TIMESTAMP_UNITS)[number];
  readonly quarantinePrefix: string;
  readonly reportsPrefix: string;
  /** Where readiness keeps its durable state. */
  readonly statePrefix: string;
  readonly readiness: ReadinessConfig;
  readonly eventBusName: string;
  readonly alertsTopicArn: string;
}

/** Reads the construct-provided environment once; a bad value fails the cold start with every problem named. */
export function loadConfig(env: NodeJS.ProcessEnv): HandlerConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`invalid validator configuration: ${problems}`);
  }
  const values = parsed.data;
  const secretArn = values[ENV.statsigApiSecretArn];
  return {
    datasets: [...new Set(values[ENV.datasets])],
    idTypes: values[ENV.idTypes],
    timestampUnit: values[ENV.timestampUnit],
    quarantinePrefix: values[ENV.quarantinePrefix],
    reportsPrefix: values[ENV.reportsPrefix],
    statePrefix: values[ENV.statePrefix],
    readiness:
      values[ENV.readinessMode] === 'api' && secretArn
        ? { mode: 'api', secretArn, baseUrl: values[ENV.statsigApiBaseUrl] }
        : { mode: 'signals' },
    eventBusName: values[ENV.eventBusName],
    alertsTopicArn: values[ENV.alertsTopicArn],
  };
}
