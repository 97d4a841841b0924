import { z } from 'zod';
import { DEFAULT_ID_TYPES, TIMESTAMP_UNITS } from '../validation/options';
import { ENV, PRODUCT_PREFIXES } from './environment-names';

/**
 * A product prefix must start with `_`: Statsig's reader skips such names and the key router ignores them, so a
 * quarantined file or a report can never be read by Statsig nor judged again as data.
 */
const productPrefix = (fallback: string) =>
  z
    .string()
    .regex(/^_[^/]*(\/[^/]+)*\/$/, 'must start with _ and end with /, e.g. _quarantine/')
    .default(fallback);

const commaList = z
  .string()
  .transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean))
  .pipe(z.array(z.string().min(1)).min(1));

const envSchema = z.object({
  [ENV.idTypes]: commaList.default([...DEFAULT_ID_TYPES]),
  [ENV.timestampUnit]: z.enum(TIMESTAMP_UNITS).default('seconds'),
  [ENV.quarantinePrefix]: productPrefix(PRODUCT_PREFIXES.quarantine),
  [ENV.reportsPrefix]: productPrefix(PRODUCT_PREFIXES.reports),
  [ENV.eventBusName]: z.string().min(1),
  [ENV.alertsTopicArn]: z.string().regex(/^arn:[^:]+:sns:/, 'must be an SNS topic ARN'),
});

export interface HandlerConfig {
  readonly idTypes: readonly string[];
  readonly timestampUnit: (typeof TIMESTAMP_UNITS)[number];
  readonly quarantinePrefix: string;
  readonly reportsPrefix: string;
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
  return {
    idTypes: values[ENV.idTypes],
    timestampUnit: values[ENV.timestampUnit],
    quarantinePrefix: values[ENV.quarantinePrefix],
    reportsPrefix: values[ENV.reportsPrefix],
    eventBusName: values[ENV.eventBusName],
    alertsTopicArn: values[ENV.alertsTopicArn],
  };
}
