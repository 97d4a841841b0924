import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import {
  Readiness,
  Reader,
  StatsigDataset,
  StatsigS3Ingestion,
  type TimestampUnit,
  type StatsigS3IngestionProps,
} from '../../lib';

function construct(props: (stack: Stack) => StatsigS3IngestionProps): () => StatsigS3Ingestion {
  const stack = new Stack(new App(), 'Test');
  return () => new StatsigS3Ingestion(stack, 'Ingestion', props(stack));
}

/** The lines of the one error `build` throws; none when it does not throw. */
function errorLines(build: () => unknown): string[] {
  try {
    build();
    return [];
  } catch (error) {
    return (error as Error).message.split('\n');
  }
}

test('every problem is reported at once, in one error', () => {
  const build = construct((stack) => ({
    bucket: s3.Bucket.fromBucketName(stack, 'Existing', 'existing'),
    noncurrentVersionExpiration: Duration.hours(12),
    reader: Reader.statsigPrincipal('statsig'),
    accessKeySerial: -1,
    readiness: Readiness.api({
      secret: secretsmanager.Secret.fromSecretNameV2(stack, 'Api', 'statsig'),
      baseUrl: 'http://api.statsig.com',
    }),
    datasets: [StatsigDataset.EVENTS, StatsigDataset.EVENTS, 'signals' as StatsigDataset],
    idTypes: ['company id', ''],
    timestampUnit: 'nanoseconds' as TimestampUnit,
    memorySize: 64,
    timeout: Duration.minutes(20),
    reservedConcurrentExecutions: 1,
  }));
  expect(errorLines(build)).toEqual([
    'Invalid StatsigS3Ingestion props:',
    '  - reader: "statsig" is not an IAM principal ARN (arn:aws:iam::<account>:role/<name>)',
    '  - accessKeySerial: only applies to Reader.iamUser(); a Statsig principal has no access key',
    '  - accessKeySerial: must be a non-negative integer, got -1',
    '  - readiness: the Statsig API base URL must be an https URL, got "http://api.statsig.com"',
    '  - datasets: unknown "signals"; use events, metrics',
    '  - datasets: lists a dataset twice',
    '  - idTypes: "company id", "" must be non-empty, without spaces or commas',
    '  - timestampUnit: must be one of seconds, milliseconds, got "nanoseconds"',
    '  - memorySize: must be an integer from 128 to 10240 MB, got 64',
    '  - timeout: must be from 1 second to 15 minutes, got 20 minutes',
    "  - reservedConcurrentExecutions: must be an integer from 2 to 1000 (the SQS event source's concurrency range), got 1",
    '  - noncurrentVersionExpiration: cannot be applied to an imported bucket; set it on the bucket itself',
    '  - noncurrentVersionExpiration: must be a whole number of days, at least 1, got 12 hours',
  ]);
});

test.each<[string, (stack: Stack) => StatsigS3IngestionProps, RegExp]>([
  ['an empty dataset list', () => ({ datasets: [] }), /datasets: must name at least one dataset/],
  [
    'a base URL with a trailing slash',
    (stack) => ({
      readiness: Readiness.api({
        secret: secretsmanager.Secret.fromSecretNameV2(stack, 'Api', 'statsig'),
        baseUrl: 'https://api.statsig.com/',
      }),
    }),
    /must not end with "\/"/,
  ],
  ['an ID type with a comma', () => ({ idTypes: ['a,b'] }), /idTypes: "a,b"/],
  ['a start day that is not a date', () => ({ readinessStartDay: '2024-02-30' }), /readinessStartDay: .*"2024-02-30"/],
  [
    'a grace period longer than a week',
    () => ({ readinessGracePeriod: Duration.days(8) }),
    /readinessGracePeriod: must be a number of hours from 0 to 168, got 192/,
  ],
  [
    'a retention in hours',
    () => ({ productObjectRetention: Duration.hours(36) }),
    /productObjectRetention: must be a whole number of days, at least 1, got 1 day 12 hours/,
  ],
  [
    "a retention shorter than Statsig's lookback, which readiness still reads",
    () => ({ productObjectRetention: Duration.days(7) }),
    /productObjectRetention: must be at least 28 days \(Statsig's lookback\).*got 7 days/,
  ],
  [
    'an access-log retention on an imported bucket',
    (stack) => ({
      bucket: s3.Bucket.fromBucketName(stack, 'Existing', 'existing'),
      accessLogRetention: Duration.days(30),
    }),
    /accessLogRetention: cannot be applied to an imported bucket/,
  ],
])('rejects %s', (_name, props, expected) => {
  expect(construct(props)).toThrow(expected);
});

test('leaves a principal ARN that is a token to CloudFormation', () => {
  expect(
    construct((stack) => ({ reader: Reader.statsigPrincipal(new s3.Bucket(stack, 'Any').bucketArn) })),
  ).not.toThrow();
});

test("warns, without failing, when the Statsig principal is outside Statsig's account", () => {
  const stack = new Stack(new App(), 'Test');
  new StatsigS3Ingestion(stack, 'Ingestion', {
    reader: Reader.statsigPrincipal('arn:aws:iam::123456789012:role/other'),
  });
  Annotations.fromStack(stack).hasWarning(
    '/Test/Ingestion',
    Match.stringLikeRegexp("not in Statsig's account 999689269917"),
  );
});

describe('severityOverrides', () => {
  test('downgrading a rule that makes a file unreadable, or naming no rule, fails synth naming each', () => {
    const build = construct(() => ({
      severityOverrides: {
        'parquet.corrupt': 'warning',
        'schema.wrong-type': 'warning',
        'path.hive-folder': 'warning',
        'events.user.userid-missing': 'warning',
        'events.event_name.space': 'fatal' as 'error',
      },
    }));
    expect(errorLines(build)).toEqual([
      'Invalid StatsigS3Ingestion props:',
      '  - severityOverrides: "parquet.corrupt" cannot be downgraded: its findings mean Statsig cannot read the file',
      '  - severityOverrides: "schema.wrong-type" cannot be downgraded: its findings mean Statsig cannot read the file',
      '  - severityOverrides: "path.hive-folder" cannot be downgraded: its findings mean Statsig cannot read the file',
      '  - severityOverrides: "events.user.userid-missing" is not a rule id of the validator (see its rule table)',
      '  - severityOverrides: "events.event_name.space": the severity must be one of error, warning, got "fatal"',
    ]);
  });

  test('accepts a downgrade of a content rule, a raise of a warning, and an unreadable rule kept an error', () => {
    expect(
      construct(() => ({
        severityOverrides: {
          'metrics.date.folder-mismatch': 'warning',
          'events.timeuuid.invalid': 'error',
          'parquet.corrupt': 'error',
        },
      })),
    ).not.toThrow();
  });
});
