/**
 * The environment the construct gives the validator function. Both sides import these names, so a renamed variable
 * cannot leave the construct and the handler disagreeing.
 */
export const ENV = {
  /** Comma-separated datasets in use: `events,metrics`. */
  datasets: 'STATSIG_DATASETS',
  /** Comma-separated ID types `id_type` may hold. */
  idTypes: 'STATSIG_ID_TYPES',
  /** `seconds` or `milliseconds`: the unit of integer event timestamps. */
  timestampUnit: 'STATSIG_TIMESTAMP_UNIT',
  /** Prefix for quarantined files, e.g. `_quarantine/`. */
  quarantinePrefix: 'QUARANTINE_PREFIX',
  /** Prefix for validation reports, e.g. `_reports/`. */
  reportsPrefix: 'REPORTS_PREFIX',
  /** Prefix for the product's own state (readiness), e.g. `_state/`. */
  statePrefix: 'STATE_PREFIX',
  /** EventBridge bus name or ARN for outcome events. */
  eventBusName: 'EVENT_BUS_NAME',
  /** SNS topic ARN for alerts to people. */
  alertsTopicArn: 'ALERTS_TOPIC_ARN',
  /** `signals` or `api`. */
  readinessMode: 'READINESS_MODE',
  /** Secrets Manager ARN of the Statsig server secret (api mode). */
  statsigApiSecretArn: 'STATSIG_API_SECRET_ARN',
  /** Base URL of Statsig's API (api mode). */
  statsigApiBaseUrl: 'STATSIG_API_BASE_URL',
  /** MB all the validator's processes together may hold: half the function's memory unless set otherwise. */
  memoryBudgetMb: 'VALIDATOR_MEMORY_BUDGET_MB',
  /** How many decoder processes the validator runs: one per vCPU the function's memory buys. */
  decoders: 'VALIDATOR_DECODERS',
  /** `YYYY-MM-DD`: the first day readiness considers; unset, the first evaluation records 28 days before it. */
  readinessStartDay: 'READINESS_START_DAY',
  /** Hours after a day ends (UTC−8) before a day still not published raises an alert. */
  readinessGracePeriodHours: 'READINESS_GRACE_PERIOD_HOURS',
} as const;

/**
 * Powertools' standard variables, which its Logger and Metrics read: the function's service name in logs and the
 * CloudWatch namespace of its metrics.
 */
export const POWERTOOLS_ENV = {
  POWERTOOLS_SERVICE_NAME: 'statsig-s3-validator',
  POWERTOOLS_METRICS_NAMESPACE: 'StatsigS3Ingestion',
} as const;

/** Statsig's API, where `mark_data_ready` goes unless the construct is given another base URL. */
export const DEFAULT_STATSIG_API_BASE_URL = 'https://api.statsig.com';

/** The product's own prefixes: Statsig never reads them, and the reader principal cannot. */
export const PRODUCT_PREFIXES = {
  quarantine: '_quarantine/',
  reports: '_reports/',
  state: '_state/',
} as const;

/**
 * Readiness's folders under the state prefix: the verdict index (an empty object per judged file version) and one
 * record per dataset and day. The construct expires both with the reports; `readiness.json` itself never expires.
 */
export const READINESS_STATE_FOLDERS = {
  verdicts: 'verdicts/',
  days: 'days/',
} as const;
