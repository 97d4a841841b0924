import { Duration, Token } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import {
  CONFIG_DEFAULTS,
  configProblems,
  decodersFor,
  DEFAULT_FUNCTION_MEMORY_MB,
  LOOKBACK_DAYS,
  functionSettings,
  memoryBudgetMbFor,
  type ConfigField,
  type FunctionSettings,
} from '../../lambda/wire/config';
import type { StatsigS3IngestionProps } from '../props';
import { DEFAULT_FRESHNESS_HOURS, freshnessProblems } from './data-alarms';
import { Readiness, ReadinessMode } from '../readiness';
import { Reader, ReaderKind } from '../reader';

/** The props with every default applied; only valid combinations get this far. */
export interface ResolvedProps extends StatsigS3IngestionProps {
  readonly reader: Reader;
  readonly readiness: Readiness;
  readonly functionSettings: FunctionSettings;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly logRetention: logs.RetentionDays;
  readonly noncurrentVersionExpiration: Duration;
  readonly productObjectRetention: Duration;
  readonly accessLogRetention: Duration;
  readonly freshnessAlarmHours: number;
}

const LAMBDA_MAX_TIMEOUT = Duration.minutes(15);
const IAM_PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(root|(role|user)\/[\w+=,.@/-]+)$/;
/** The prop a problem with the function's configuration is reported under. */
const PROP_OF_FIELD: Partial<Record<ConfigField, string>> = {
  readinessGracePeriodHours: 'readinessGracePeriod',
  readinessMode: 'readiness',
  secretArn: 'readiness',
  baseUrl: 'readiness',
};

/** Applies the defaults and checks every prop, reporting all problems in one error so users fix them in one pass. */
export function resolveProps(props: StatsigS3IngestionProps): ResolvedProps {
  const reader = props.reader ?? Reader.iamUser();
  const memorySize = props.memorySize ?? DEFAULT_FUNCTION_MEMORY_MB;
  const readiness = props.readiness ?? Readiness.signals();
  const settings = functionSettings({
    ...(props.datasets && { datasets: props.datasets }),
    ...(props.timestampUnit && { timestampUnit: props.timestampUnit }),
    ...(props.severityOverrides && { severityOverrides: { ...props.severityOverrides } }),
    ...(props.readinessStartDay !== undefined && { readinessStartDay: props.readinessStartDay }),
    ...(props.readinessGracePeriod &&
      !props.readinessGracePeriod.isUnresolved() && {
        readinessGracePeriodHours: props.readinessGracePeriod.toMinutes({ integral: false }) / 60,
      }),
    idTypes: [...new Set([...CONFIG_DEFAULTS.idTypes, ...(props.idTypes ?? [])])],
    readiness:
      readiness.mode === ReadinessMode.API
        ? { mode: 'api', secretArn: readiness.apiSecret!.secretArn, baseUrl: readiness.apiBaseUrl! }
        : { mode: 'signals' },
    memoryBudgetMb: memoryBudgetMbFor(memorySize),
    decoders: decodersFor(memorySize),
  });
  const resolved: ResolvedProps = {
    ...props,
    reader,
    readiness,
    functionSettings: settings,
    memorySize,
    timeout: props.timeout ?? Duration.minutes(5),
    logRetention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
    noncurrentVersionExpiration: props.noncurrentVersionExpiration ?? Duration.days(90),
    productObjectRetention: props.productObjectRetention ?? Duration.days(90),
    accessLogRetention: props.accessLogRetention ?? Duration.days(365),
    freshnessAlarmHours: props.freshnessAlarmHours ?? DEFAULT_FRESHNESS_HOURS,
  };

  const problems = [
    ...readerProblems(props, reader),
    ...configProblems(settings, Token.isUnresolved)
      // The budget and the decoders follow from memorySize, whose own check names the prop the user set.
      .filter((p) => p.field !== 'memoryBudgetMb' && p.field !== 'decoders')
      .map((p) => `${PROP_OF_FIELD[p.field] ?? p.field}: ${p.message}`),
    ...functionProblems(props),
    ...bucketProblems(props),
    ...freshnessProblems(props.freshnessAlarmHours),
  ];
  if (problems.length > 0) {
    throw new Error(`Invalid StatsigS3Ingestion props:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  return resolved;
}

function readerProblems(props: StatsigS3IngestionProps, reader: Reader): string[] {
  const problems: string[] = [];
  if (reader.kind === ReaderKind.STATSIG_PRINCIPAL) {
    const arn = reader.principalArn ?? '';
    if (!Token.isUnresolved(arn) && !IAM_PRINCIPAL_ARN.test(arn)) {
      problems.push(`reader: "${arn}" is not an IAM principal ARN (arn:aws:iam::<account>:role/<name>)`);
    }
    if (props.accessKeySerial !== undefined) {
      problems.push('accessKeySerial: only applies to Reader.iamUser(); a Statsig principal has no access key');
    }
  }
  if (props.accessKeySerial !== undefined && !(Number.isInteger(props.accessKeySerial) && props.accessKeySerial >= 0)) {
    problems.push(`accessKeySerial: must be a non-negative integer, got ${props.accessKeySerial}`);
  }
  return problems;
}

function functionProblems(props: StatsigS3IngestionProps): string[] {
  const problems: string[] = [];
  const { memorySize, timeout, reservedConcurrentExecutions: reserved } = props;
  if (memorySize !== undefined && !(Number.isInteger(memorySize) && memorySize >= 128 && memorySize <= 10240)) {
    problems.push(`memorySize: must be an integer from 128 to 10240 MB, got ${memorySize}`);
  }
  if (timeout !== undefined && !timeout.isUnresolved()) {
    const seconds = timeout.toSeconds();
    if (seconds < 1 || seconds > LAMBDA_MAX_TIMEOUT.toSeconds()) {
      problems.push(`timeout: must be from 1 second to 15 minutes, got ${timeout.toHumanString()}`);
    }
  }
  if (reserved !== undefined && !(Number.isInteger(reserved) && reserved >= 2 && reserved <= 1000)) {
    problems.push(
      `reservedConcurrentExecutions: must be an integer from 2 to 1000 (the SQS event source's concurrency range), got ${reserved}`,
    );
  }
  return problems;
}

function bucketProblems(props: StatsigS3IngestionProps): string[] {
  const problems: string[] = [];
  for (const prop of ['noncurrentVersionExpiration', 'productObjectRetention', 'accessLogRetention'] as const) {
    if (props.bucket !== undefined && props[prop] !== undefined) {
      problems.push(`${prop}: cannot be applied to an imported bucket; set it on the bucket itself`);
    }
    const expiration = props[prop];
    if (expiration !== undefined && !expiration.isUnresolved()) {
      const days = expiration.toDays({ integral: false });
      if (!Number.isInteger(days) || days < 1) {
        problems.push(`${prop}: must be a whole number of days, at least 1, got ${expiration.toHumanString()}`);
      }
    }
  }
  const retention = props.productObjectRetention;
  // Readiness decides an unpublished day from its files' verdicts under _state/: expired, they would read as pending.
  if (retention !== undefined && !retention.isUnresolved() && retention.toDays({ integral: false }) < LOOKBACK_DAYS) {
    problems.push(
      `productObjectRetention: must be at least ${LOOKBACK_DAYS} days (Statsig's lookback), as readiness reads the verdicts of days not yet published, got ${retention.toHumanString()}`,
    );
  }
  return problems;
}
