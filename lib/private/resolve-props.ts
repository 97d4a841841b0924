import { Duration, Token } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { DAILY_DATASETS } from '../../lambda/validation/dataset';
import { DEFAULT_ID_TYPES, TIMESTAMP_UNITS } from '../../lambda/validation/options';
import { StatsigDataset, TimestampUnit } from '../data-options';
import type { StatsigS3IngestionProps } from '../props';
import { Readiness, ReadinessMode } from '../readiness';
import { Reader, ReaderKind } from '../reader';

/** The props with every default applied; only valid combinations get this far. */
export interface ResolvedProps extends StatsigS3IngestionProps {
  readonly reader: Reader;
  readonly readiness: Readiness;
  readonly datasets: StatsigDataset[];
  /** Statsig's built-in ID types followed by the custom ones. */
  readonly allIdTypes: string[];
  readonly timestampUnit: TimestampUnit;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly logRetention: logs.RetentionDays;
  readonly noncurrentVersionExpiration: Duration;
}

const LAMBDA_MAX_TIMEOUT = Duration.minutes(15);
const IAM_PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(root|(role|user)\/[\w+=,.@/-]+)$/;
// Custom ID types reach the function as one comma-separated variable, and Statsig compares them verbatim.
const ID_TYPE = /^[^\s,]+$/;

/** Applies the defaults and checks every prop, reporting all problems in one error so users fix them in one pass. */
export function resolveProps(props: StatsigS3IngestionProps): ResolvedProps {
  const reader = props.reader ?? Reader.iamUser();
  const readiness = props.readiness ?? Readiness.signals();
  const resolved: ResolvedProps = {
    ...props,
    reader,
    readiness,
    datasets: props.datasets ?? [StatsigDataset.EVENTS, StatsigDataset.METRICS],
    allIdTypes: [...DEFAULT_ID_TYPES, ...(props.idTypes ?? []).filter((t) => !isDefaultIdType(t))],
    timestampUnit: props.timestampUnit ?? TimestampUnit.SECONDS,
    memorySize: props.memorySize ?? 2048,
    timeout: props.timeout ?? Duration.minutes(5),
    logRetention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
    noncurrentVersionExpiration: props.noncurrentVersionExpiration ?? Duration.days(90),
  };

  const problems = [
    ...readerProblems(props, reader),
    ...readinessProblems(readiness),
    ...dataProblems(props),
    ...functionProblems(props),
    ...bucketProblems(props),
  ];
  if (problems.length > 0) {
    throw new Error(`Invalid StatsigS3Ingestion props:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  return resolved;
}

function isDefaultIdType(idType: string): boolean {
  return (DEFAULT_ID_TYPES as readonly string[]).includes(idType);
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

function readinessProblems(readiness: Readiness): string[] {
  if (readiness.mode !== ReadinessMode.API) return [];
  const url = readiness.apiBaseUrl ?? '';
  if (Token.isUnresolved(url)) return [];
  if (!URL.canParse(url) || new URL(url).protocol !== 'https:') {
    return [`readiness: the Statsig API base URL must be an https URL, got "${url}"`];
  }
  if (url.endsWith('/')) return [`readiness: the Statsig API base URL must not end with "/", got "${url}"`];
  return [];
}

function dataProblems(props: StatsigS3IngestionProps): string[] {
  const problems: string[] = [];
  if (props.datasets !== undefined) {
    if (props.datasets.length === 0) problems.push('datasets: must name at least one dataset');
    const unknown = props.datasets.filter((d) => !(DAILY_DATASETS as readonly string[]).includes(d));
    if (unknown.length > 0) {
      problems.push(`datasets: unknown ${unknown.map((d) => `"${d}"`).join(', ')}; use ${DAILY_DATASETS.join(', ')}`);
    }
    if (new Set(props.datasets).size !== props.datasets.length) problems.push('datasets: lists a dataset twice');
  }
  const badIdTypes = (props.idTypes ?? []).filter((t) => !Token.isUnresolved(t) && !ID_TYPE.test(t));
  if (badIdTypes.length > 0) {
    problems.push(
      `idTypes: ${badIdTypes.map((t) => JSON.stringify(t)).join(', ')} must be non-empty, without spaces or commas`,
    );
  }
  if (props.timestampUnit !== undefined && !(TIMESTAMP_UNITS as readonly string[]).includes(props.timestampUnit)) {
    problems.push(`timestampUnit: must be one of ${TIMESTAMP_UNITS.join(', ')}, got "${props.timestampUnit}"`);
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
  if (props.bucket !== undefined && props.noncurrentVersionExpiration !== undefined) {
    problems.push('noncurrentVersionExpiration: cannot be applied to an imported bucket; set it on the bucket itself');
  }
  const expiration = props.noncurrentVersionExpiration;
  if (expiration !== undefined && !expiration.isUnresolved()) {
    const days = expiration.toDays({ integral: false });
    if (!Number.isInteger(days) || days < 1) {
      problems.push(`noncurrentVersionExpiration: must be a whole number of days, at least 1, got ${expiration.toHumanString()}`);
    }
  }
  return problems;
}
