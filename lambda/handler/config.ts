import * as z from '../validation/zod';
import { DAILY_DATASETS, DailyDataset } from '../validation/dataset';
import { DEFAULT_ID_TYPES, TIMESTAMP_UNITS } from '../validation/options';
import { DEFAULT_STATSIG_API_BASE_URL, ENV, PRODUCT_PREFIXES } from './environment-names';

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

/** Matches the construct's default; the handler appends `/v1/mark_data_ready`. */

const baseUrl = z.string().check(
  z.refine((value: string) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), 'must be an http(s) URL'),
  z.regex(/[^/]$/, 'must not end with /'),
);

const envSchema = z.object({
  [ENV.datasets]: z._default(z.pipe(commaList, z.array(z.enum(DAILY_DATASETS))), [...DAILY_DATASETS]),
  [ENV.idTypes]: z._default(commaList, [...DEFAULT_ID_TYPES]),
  [ENV.timestampUnit]: z._default(z.enum(TIMESTAMP_UNITS), 'seconds'),
  [ENV.quarantinePrefix]: productPrefix(PRODUCT_PREFIXES.quarantine),
  [ENV.reportsPrefix]: productPrefix(PRODUCT_PREFIXES.reports),
  [ENV.statePrefix]: productPrefix(PRODUCT_PREFIXES.state),
  [ENV.readinessMode]: z._default(z.enum(['signals', 'api']), 'signals'),
  [ENV.statsigApiSecretArn]: z.optional(z.string().check(z.regex(/^arn:[^:]+:secretsmanager:/, 'must be a Secrets Manager secret ARN'))),
  [ENV.statsigApiBaseUrl]: z._default(baseUrl, DEFAULT_STATSIG_API_BASE_URL),
  [ENV.eventBusName]: z.string().check(z.minLength(1)),
  [ENV.alertsTopicArn]: z.string().check(z.regex(/^arn:[^:]+:sns:/, 'must be an SNS topic ARN')),
});

/** How readiness is published (spec §7): one way or the other, never both. */
export type ReadinessConfig =
  | { readonly mode: 'signals' }
  | { readonly mode: 'api'; readonly secretArn: string; readonly baseUrl: string };

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
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  const secretArn = parsed.data?.[ENV.statsigApiSecretArn];
  if (env[ENV.readinessMode] === 'api' && !env[ENV.statsigApiSecretArn]) problems.push(`${ENV.statsigApiSecretArn}: is required when ${ENV.readinessMode} is api`);
  if (!parsed.success || problems.length > 0) throw new Error(`invalid validator configuration: ${problems.join('; ')}`);
  const values = parsed.data;
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
