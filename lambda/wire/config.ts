import { DEFAULT_ID_TYPES, TIMESTAMP_UNITS, type TimestampUnit } from './data-options';
import { DAILY_DATASETS, type DailyDataset } from './datasets';
import { DEFAULT_STATSIG_API_BASE_URL, ENV, PRODUCT_PREFIXES } from './environment';
import {
  type OverrideSeverity,
  SEVERITY_OVERRIDES_ENV,
  severityOverrideProblems,
  type SeverityOverrides,
} from './severity-overrides';

/**
 * The validator function's configuration, declared once: the construct checks it at synth and serialises it into the
 * function's environment, the function parses it back at cold start, with the same checks. Plain code, no schema
 * library: the construct must load without any of the function's runtime modules.
 */

/** How readiness is published (spec §7): one way or the other, never both. */
export type ReadinessConfig =
  { readonly mode: 'signals' } | { readonly mode: 'api'; readonly secretArn: string; readonly baseUrl: string };

export const READINESS_MODES = ['signals', 'api'] as const;

export interface ValidatorConfig {
  /** The daily datasets in use; readiness waits for all of them. */
  readonly datasets: readonly DailyDataset[];
  /** Every ID type `id_type` may hold: Statsig's two, then the project's custom ones. */
  readonly idTypes: readonly string[];
  readonly timestampUnit: TimestampUnit;
  /** Rule id to the severity its findings get instead of the catalogue's (spec §6). */
  readonly severityOverrides: SeverityOverrides;
  readonly quarantinePrefix: string;
  readonly reportsPrefix: string;
  /** Where readiness keeps its durable state. */
  readonly statePrefix: string;
  readonly readiness: ReadinessConfig;
  /**
   * The first day readiness considers (spec §7, lookback); earlier days neither block nor publish. Undefined: the
   * first evaluation records 28 days before itself in the state.
   */
  readonly readinessStartDay?: string;
  /** Hours after a day ends in UTC−8 before a day with data that is still not published raises an alert. */
  readonly readinessGracePeriodHours: number;
  /** EventBridge bus name or ARN for outcome events. */
  readonly eventBusName: string;
  readonly alertsTopicArn: string;
  /** MB the validating process and its decoders together may hold (spec §6); pages and heaps are capped against it. */
  readonly memoryBudgetMb: number;
  /** How many decoder processes the validator runs; the pool starts no more than the memory budget affords. */
  readonly decoders: number;
}

/** Statsig ingests at most four weeks back (spec §7): the default lookback. */
export const LOOKBACK_DAYS = 28;

/** The function's default memory (MB), and the share of a function's memory the validator may use. */
export const DEFAULT_FUNCTION_MEMORY_MB = 2048;
/** Spec §6: all the validator's processes together at most half of the function's memory. */
export function memoryBudgetMbFor(functionMemoryMb: number): number {
  return Math.floor(functionMemoryMb / 2);
}
/**
 * Lambda gives a function CPU time in proportion to its memory: one vCPU-second per second at 1,769 MB (it shows two
 * cores from 128 MB, but below 3,538 MB their time together is less than two).
 */
const MB_PER_LAMBDA_VCPU = 1769;
const MAX_LAMBDA_DECODERS = 6;
/**
 * A function's decoder processes: one per whole vCPU of time its memory buys, at least one. The validating process
 * needs about a tenth of a decoder's CPU, so it shares with them. Two decoders validated the 10M-row files 28–34%
 * faster than one on two full cores (bench/results.md, round 3), but at the default 2,048 MB the function has 1.16
 * vCPUs of time to share between them, and each would get half the memory budget: the largest row group a decoder
 * can hold matters more than a gain the function's CPU time cannot give.
 */
export function decodersFor(functionMemoryMb: number): number {
  return Math.max(1, Math.min(MAX_LAMBDA_DECODERS, Math.floor(functionMemoryMb / MB_PER_LAMBDA_VCPU)));
}
/** The least budget a validator works in: its own process and one decoder. */
export const MIN_MEMORY_BUDGET_MB = 64;

/** The defaults both sides apply to what is not given. */
export const CONFIG_DEFAULTS = {
  datasets: DAILY_DATASETS,
  idTypes: DEFAULT_ID_TYPES,
  timestampUnit: 'seconds',
  quarantinePrefix: PRODUCT_PREFIXES.quarantine,
  reportsPrefix: PRODUCT_PREFIXES.reports,
  statePrefix: PRODUCT_PREFIXES.state,
  readinessMode: 'signals',
  baseUrl: DEFAULT_STATSIG_API_BASE_URL,
  readinessGracePeriodHours: 6,
} as const satisfies Record<string, string | number | readonly string[]>;

/** What the construct's props decide; the construct adds the event bus and the alerts topic. */
export type FunctionSettings = Omit<ValidatorConfig, 'eventBusName' | 'alertsTopicArn'>;

/** Function settings with the defaults applied to what `given` leaves out. */
export function functionSettings(given: Partial<FunctionSettings> = {}): FunctionSettings {
  return {
    datasets: [...CONFIG_DEFAULTS.datasets],
    idTypes: [...CONFIG_DEFAULTS.idTypes],
    timestampUnit: CONFIG_DEFAULTS.timestampUnit,
    severityOverrides: {},
    quarantinePrefix: CONFIG_DEFAULTS.quarantinePrefix,
    reportsPrefix: CONFIG_DEFAULTS.reportsPrefix,
    statePrefix: CONFIG_DEFAULTS.statePrefix,
    readiness: { mode: CONFIG_DEFAULTS.readinessMode },
    memoryBudgetMb: memoryBudgetMbFor(DEFAULT_FUNCTION_MEMORY_MB),
    decoders: decodersFor(DEFAULT_FUNCTION_MEMORY_MB),
    readinessGracePeriodHours: CONFIG_DEFAULTS.readinessGracePeriodHours,
    ...given,
  };
}

/** What a configuration must be given; the rest has defaults. */
export type ConfigInput = Partial<ValidatorConfig> & Pick<ValidatorConfig, 'eventBusName' | 'alertsTopicArn'>;

/** A configuration with the defaults applied to what `input` leaves out. */
export function validatorConfig(input: ConfigInput): ValidatorConfig {
  return { ...functionSettings(), ...input };
}

/** The fields a problem can be about; the construct names them after its props, the function after its variables. */
export type ConfigField = keyof Omit<ValidatorConfig, 'readiness'> | 'readinessMode' | 'secretArn' | 'baseUrl';

export const CONFIG_ENV: Readonly<Record<ConfigField, string>> = {
  datasets: ENV.datasets,
  idTypes: ENV.idTypes,
  timestampUnit: ENV.timestampUnit,
  severityOverrides: SEVERITY_OVERRIDES_ENV,
  quarantinePrefix: ENV.quarantinePrefix,
  reportsPrefix: ENV.reportsPrefix,
  statePrefix: ENV.statePrefix,
  readinessMode: ENV.readinessMode,
  secretArn: ENV.statsigApiSecretArn,
  baseUrl: ENV.statsigApiBaseUrl,
  readinessStartDay: ENV.readinessStartDay,
  readinessGracePeriodHours: ENV.readinessGracePeriodHours,
  eventBusName: ENV.eventBusName,
  alertsTopicArn: ENV.alertsTopicArn,
  memoryBudgetMb: ENV.memoryBudgetMb,
  decoders: ENV.decoders,
};

export interface ConfigProblem {
  readonly field: ConfigField;
  readonly message: string;
}

/**
 * Hosts an `http:` Statsig API base URL may name: the local run and the tests stand in for Statsig on loopback.
 * Anything that leaves the machine must be https, since the request carries the server secret.
 */
export const LOOPBACK_HOSTS: readonly string[] = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * A product prefix must start with `_`: Statsig's reader skips such names and the key router ignores them, so a
 * quarantined file or a report can never be read by Statsig nor judged again as data.
 */
const PRODUCT_PREFIX = /^_[^/]*(\/[^/]+)*\/$/;
// ID types reach the function as one comma-separated variable, and Statsig compares them verbatim.
const ID_TYPE = /^[^\s,]+$/;
const SECRET_ARN = /^arn:[^:]+:secretsmanager:/;
const SNS_TOPIC_ARN = /^arn:[^:]+:sns:/;
/** A week: a day still waiting longer than that needs no timer to be noticed. */
const MAX_GRACE_HOURS = 168;
const CALENDAR_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real `YYYY-MM-DD` date (the wire loads no library, so the check is here rather than the calendar's). */
function isCalendarDay(day: string): boolean {
  const match = CALENDAR_DAY.exec(day);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === day;
}

/** Values the construct cannot know before deployment (CDK tokens) are left to CloudFormation. */
export type IsUnresolved = (value: string) => boolean;

/**
 * Every problem with the given parts of a configuration, each named by its field. The function checks a whole
 * configuration; the construct checks what its props decide before the targets (bus, topic) exist.
 */
export function configProblems(
  config: Partial<ValidatorConfig>,
  isUnresolved: IsUnresolved = () => false,
): ConfigProblem[] {
  const known = (value: string) => !isUnresolved(value);
  const problems: ConfigProblem[] = [];
  const add = (field: ConfigField, message: string) => problems.push({ field, message });
  const { datasets, idTypes, timestampUnit, eventBusName, alertsTopicArn, readiness } = config;

  if (readiness) problems.push(...readinessProblems(readiness, known));
  if (datasets) {
    if (datasets.length === 0) add('datasets', 'must name at least one dataset');
    const unknown = datasets.filter((d) => !(DAILY_DATASETS as readonly string[]).includes(d));
    if (unknown.length > 0)
      add('datasets', `unknown ${unknown.map((d) => `"${d}"`).join(', ')}; use ${DAILY_DATASETS.join(', ')}`);
    if (new Set(datasets).size !== datasets.length) add('datasets', 'lists a dataset twice');
  }
  if (idTypes) {
    if (idTypes.length === 0) add('idTypes', 'must name at least one ID type');
    const bad = idTypes.filter((t) => known(t) && !ID_TYPE.test(t));
    if (bad.length > 0)
      add('idTypes', `${bad.map((t) => JSON.stringify(t)).join(', ')} must be non-empty, without spaces or commas`);
  }
  if (timestampUnit !== undefined && !(TIMESTAMP_UNITS as readonly string[]).includes(timestampUnit)) {
    add('timestampUnit', `must be one of ${TIMESTAMP_UNITS.join(', ')}, got "${timestampUnit}"`);
  }
  if (config.severityOverrides) {
    for (const problem of severityOverrideProblems(config.severityOverrides)) add('severityOverrides', problem);
  }
  for (const field of ['quarantinePrefix', 'reportsPrefix', 'statePrefix'] as const) {
    const prefix = config[field];
    if (prefix !== undefined && known(prefix) && !PRODUCT_PREFIX.test(prefix)) {
      add(field, `must start with _ and end with /, e.g. _quarantine/, got "${prefix}"`);
    }
  }
  const budget = config.memoryBudgetMb;
  if (budget !== undefined && !(Number.isInteger(budget) && budget >= MIN_MEMORY_BUDGET_MB)) {
    add('memoryBudgetMb', `must be a whole number of MB, at least ${MIN_MEMORY_BUDGET_MB}, got ${budget}`);
  }
  const { decoders } = config;
  if (decoders !== undefined && !(Number.isInteger(decoders) && decoders >= 1 && decoders <= MAX_LAMBDA_DECODERS)) {
    add('decoders', `must be a whole number from 1 to ${MAX_LAMBDA_DECODERS}, got ${decoders}`);
  }
  const { readinessStartDay: startDay, readinessGracePeriodHours: grace } = config;
  if (startDay !== undefined && known(startDay) && !isCalendarDay(startDay))
    add('readinessStartDay', `must be a calendar day YYYY-MM-DD, got "${startDay}"`);
  if (grace !== undefined && !(Number.isFinite(grace) && grace >= 0 && grace <= MAX_GRACE_HOURS))
    add('readinessGracePeriodHours', `must be a number of hours from 0 to ${MAX_GRACE_HOURS}, got ${grace}`);
  if (eventBusName === '') add('eventBusName', 'is required');
  if (alertsTopicArn === '') add('alertsTopicArn', 'is required');
  else if (alertsTopicArn !== undefined && known(alertsTopicArn) && !SNS_TOPIC_ARN.test(alertsTopicArn)) {
    add('alertsTopicArn', 'must be an SNS topic ARN');
  }
  return problems;
}

function readinessProblems(readiness: ReadinessConfig, known: (value: string) => boolean): ConfigProblem[] {
  if (!(READINESS_MODES as readonly string[]).includes(readiness.mode)) {
    return [
      { field: 'readinessMode', message: `must be one of ${READINESS_MODES.join(', ')}, got "${readiness.mode}"` },
    ];
  }
  if (readiness.mode !== 'api') return [];
  const problems: ConfigProblem[] = [];
  if (readiness.secretArn === '') problems.push({ field: 'secretArn', message: 'is required in api readiness mode' });
  else if (known(readiness.secretArn) && !SECRET_ARN.test(readiness.secretArn)) {
    problems.push({ field: 'secretArn', message: 'must be a Secrets Manager secret ARN' });
  }
  const baseUrlProblem = known(readiness.baseUrl) ? statsigBaseUrlProblem(readiness.baseUrl) : undefined;
  if (baseUrlProblem) problems.push({ field: 'baseUrl', message: baseUrlProblem });
  return problems;
}

function statsigBaseUrlProblem(url: string): string | undefined {
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  const loopback = parsed?.protocol === 'http:' && LOOPBACK_HOSTS.includes(parsed.hostname);
  if (!parsed || !(parsed.protocol === 'https:' || loopback))
    return `the Statsig API base URL must be an https URL, got "${url}"`;
  // The handler appends `/v1/mark_data_ready`.
  if (url.endsWith('/')) return `the Statsig API base URL must not end with "/", got "${url}"`;
  return undefined;
}

/** The function's environment for a configuration. */
export function configToEnvironment(config: ValidatorConfig): Record<string, string> {
  const { readiness } = config;
  return {
    [ENV.datasets]: config.datasets.join(','),
    [ENV.idTypes]: config.idTypes.join(','),
    [ENV.timestampUnit]: config.timestampUnit,
    // Only when there are any, so a stack without overrides deploys the environment it did before.
    ...(Object.keys(config.severityOverrides).length
      ? { [SEVERITY_OVERRIDES_ENV]: JSON.stringify(config.severityOverrides) }
      : {}),
    [ENV.quarantinePrefix]: config.quarantinePrefix,
    [ENV.reportsPrefix]: config.reportsPrefix,
    [ENV.statePrefix]: config.statePrefix,
    [ENV.eventBusName]: config.eventBusName,
    [ENV.alertsTopicArn]: config.alertsTopicArn,
    [ENV.readinessMode]: readiness.mode,
    [ENV.memoryBudgetMb]: String(config.memoryBudgetMb),
    [ENV.decoders]: String(config.decoders),
    [ENV.readinessGracePeriodHours]: String(config.readinessGracePeriodHours),
    ...(config.readinessStartDay === undefined ? {} : { [ENV.readinessStartDay]: config.readinessStartDay }),
    ...(readiness.mode === 'api'
      ? { [ENV.statsigApiSecretArn]: readiness.secretArn, [ENV.statsigApiBaseUrl]: readiness.baseUrl }
      : {}),
  };
}

/** The overrides' JSON object of rule id to severity; anything else fails the cold start, named. */
function overridesFrom(raw: string | undefined): SeverityOverrides {
  if (raw === undefined || raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new Error(`invalid validator configuration: ${SEVERITY_OVERRIDES_ENV}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new Error(`invalid validator configuration: ${SEVERITY_OVERRIDES_ENV}: must be a JSON object`);
  // Each value is checked with the rest of the configuration.
  return parsed as Record<string, OverrideSeverity>;
}

/**
 * Reads the configuration back from an environment, with the defaults for what is unset; a bad value fails the cold
 * start with every problem named by its variable.
 */
export function configFromEnvironment(env: Readonly<Record<string, string | undefined>>): ValidatorConfig {
  const text = (field: ConfigField, fallback = '') => env[CONFIG_ENV[field]]?.trim() || fallback;
  const list = (field: ConfigField, fallback: readonly string[]) => {
    const raw = env[CONFIG_ENV[field]];
    return raw === undefined
      ? [...fallback]
      : raw
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean);
  };
  const mode = text('readinessMode', CONFIG_DEFAULTS.readinessMode);
  // Every field is read here with its default, so no second layer of defaults applies.
  const config: ValidatorConfig = {
    datasets: list('datasets', CONFIG_DEFAULTS.datasets) as DailyDataset[],
    idTypes: list('idTypes', CONFIG_DEFAULTS.idTypes),
    timestampUnit: text('timestampUnit', CONFIG_DEFAULTS.timestampUnit) as TimestampUnit,
    severityOverrides: overridesFrom(env[SEVERITY_OVERRIDES_ENV]),
    quarantinePrefix: text('quarantinePrefix', CONFIG_DEFAULTS.quarantinePrefix),
    reportsPrefix: text('reportsPrefix', CONFIG_DEFAULTS.reportsPrefix),
    statePrefix: text('statePrefix', CONFIG_DEFAULTS.statePrefix),
    readiness:
      mode === 'api'
        ? { mode, secretArn: text('secretArn'), baseUrl: text('baseUrl', CONFIG_DEFAULTS.baseUrl) }
        : ({ mode } as ReadinessConfig),
    ...(text('readinessStartDay') ? { readinessStartDay: text('readinessStartDay') } : {}),
    readinessGracePeriodHours: Number(
      text('readinessGracePeriodHours', String(CONFIG_DEFAULTS.readinessGracePeriodHours)),
    ),
    eventBusName: text('eventBusName'),
    alertsTopicArn: text('alertsTopicArn'),
    memoryBudgetMb: Number(text('memoryBudgetMb', String(memoryBudgetMbFor(DEFAULT_FUNCTION_MEMORY_MB)))),
    decoders: Number(text('decoders', String(decodersFor(DEFAULT_FUNCTION_MEMORY_MB)))),
  };
  const problems = configProblems(config);
  if (problems.length > 0) {
    throw new Error(
      `invalid validator configuration: ${problems.map((p) => `${CONFIG_ENV[p.field]}: ${p.message}`).join('; ')}`,
    );
  }
  return config;
}
