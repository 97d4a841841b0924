import { parseArgs } from 'node:util';
import { DATASETS, TIMESTAMP_UNITS } from '../../lambda/validation';
import * as z from '../../lambda/validation/zod';
import {
  CONFIG_DEFAULTS,
  type ConfigField,
  configProblems,
  MIN_MEMORY_BUDGET_MB,
  READINESS_MODES,
} from '../../lambda/wire/config';
import { DAILY_DATASETS } from '../../lambda/wire/datasets';
import { severityOverrideProblems, type SeverityOverrides } from '../../lambda/wire/severity-overrides';

export const USAGE = `Usage: statsig-s3 validate <file-or-folder | s3://bucket/prefix>... [options]

Checks parquet files against Statsig's data contract before they are uploaded.
The dataset and the day come from the path (events/YYYY-MM-DD/, metrics/YYYY-MM-DD/, signals/),
so a local mirror of the bucket validates exactly as it would in S3: a folder is walked for every object the
Lambda would judge, whatever its name or extension; _SUCCESS, _temporary/, .crc and other _ or . names are not data.

Options:
  --dataset events|metrics|signals    the dataset, when the path does not say it
  --id-types a,b                      custom ID types id_type may hold, besides user_id and stable_id
  --timestamp-unit seconds|milliseconds   unit of integer event timestamps (default: seconds)
  --severity-overrides rule=error|warning,...   the construct's severityOverrides: re-weigh rules by id
                                      (rules that make a file unreadable cannot be downgraded)
  --schema-only                       check the columns and types only, reading just the footer
  --memory-budget MB                  what the validator's processes together may hold (default: 1024)
  --decoders n                        decoder processes at most, within the memory budget (default: one per core
                                      but one, at most 4)
  --json                              print a JSON array of reports instead of text
  --profile name                      for s3://bucket/prefix: the AWS profile (default: the SDK's credential chain)
  --region name                       for s3://: the bucket's region
  --endpoint-url url                  for s3://: an S3-compatible endpoint instead of AWS
  --help                              show this help

       statsig-s3 restore s3://bucket/_quarantine/<key-or-prefix>... [--yes] [--profile, --region, --endpoint-url]

Copies quarantined objects back to their original keys, so that the pipeline judges them again (e.g. after an ID
type was added); each leaves the quarantine only after its copy succeeded. A newer object at the original key is
never overwritten. Without --yes it only tells what it would restore and changes nothing.

       statsig-s3 status s3://bucket [--json] [--readiness signals|api] [--datasets events,metrics]
                         [--start-day YYYY-MM-DD] [--grace-hours n] [--profile, --region, --endpoint-url]

Says why days are or are not published to Statsig, read from the bucket with the function's own readiness code: per
publish target the last published day, the day that blocks (its reason, the object to look at, the step that
releases it), held days, files without a verdict, and the days before the start day. The flags are the construct's
props of the same meaning (readiness mode, datasets, readinessStartDay, readinessGracePeriod), with its defaults.

Exit code: 0 all files valid (or nothing to judge), 1 a file is invalid, 2 a missing path, usage or I/O error;
for status: 0 nothing stalled, 1 a day waits past the grace period, 2 a usage or I/O error.`;

/** Raised for anything the user typed wrong; the CLI prints it with the usage and exits 2. */
export class UsageError extends Error {}

const csv = z.pipe(
  z.pipe(
    z.string(),
    z.transform((text: string) =>
      text
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean),
    ),
  ),
  z.array(z.string()).check(z.minLength(1, 'needs at least one ID type')),
);

function overridePairs(text: string): Record<string, string> {
  const pairs = text
    .split(',')
    .map((pair) => pair.trim())
    .filter(Boolean)
    .map((pair) => {
      const at = pair.indexOf('=');
      return at < 0 ? [pair, ''] : [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
    });
  return Object.fromEntries(pairs);
}

/** `rule=severity,rule=severity`, checked as the construct checks its prop. */
const overrides = z.pipe(
  z.pipe(z.string(), z.transform(overridePairs)),
  z.transform((pairs: Record<string, string>, context) => {
    const problems = severityOverrideProblems(pairs);
    for (const message of problems) context.issues.push({ code: 'custom', message, input: pairs });
    return pairs as SeverityOverrides;
  }),
);

/** Spec §6: the CLI's budget for all its processes. */
const DEFAULT_MEMORY_BUDGET_MB = 1024;
const megabytes = z.pipe(
  z.pipe(z.string(), z.transform(Number)),
  z
    .int()
    .check(
      z.refine(
        (mb: number) => mb >= MIN_MEMORY_BUDGET_MB,
        `must be a whole number of MB, at least ${MIN_MEMORY_BUDGET_MB}`,
      ),
    ),
);

const count = z.pipe(
  z.pipe(z.string(), z.transform(Number)),
  z.int().check(z.refine((n: number) => n >= 1, 'must be a whole number, at least 1')),
);

const validateArgs = z.object({
  paths: z.array(z.string()).check(z.minLength(1, 'name at least one file or folder')),
  dataset: z.optional(z.enum(DATASETS)),
  idTypes: z.optional(csv),
  timestampUnit: z.optional(z.enum(TIMESTAMP_UNITS)),
  severityOverrides: z.optional(overrides),
  schemaOnly: z._default(z.boolean(), false),
  memoryBudgetMb: z._default(megabytes, DEFAULT_MEMORY_BUDGET_MB),
  decoders: z.optional(count),
  json: z._default(z.boolean(), false),
  profile: z.optional(z.string()),
  region: z.optional(z.string()),
  endpointUrl: z.optional(z.string()),
});

export type ValidateArgs = z.output<typeof validateArgs>;

const restoreArgs = z.object({
  uris: z.array(z.string()).check(z.minLength(1, 'name at least one s3://bucket/_quarantine/ key or prefix')),
  yes: z._default(z.boolean(), false),
  profile: z.optional(z.string()),
  region: z.optional(z.string()),
  endpointUrl: z.optional(z.string()),
});

export type RestoreArgs = z.output<typeof restoreArgs>;

const statusArgs = z.object({
  uri: z.string().check(z.regex(/^s3:\/\/[^/]+\/?$/, 'name the bucket as s3://bucket')),
  json: z._default(z.boolean(), false),
  readinessMode: z._default(z.enum(READINESS_MODES), CONFIG_DEFAULTS.readinessMode),
  datasets: z._default(z.array(z.enum(DAILY_DATASETS)), [...CONFIG_DEFAULTS.datasets]),
  readinessStartDay: z.optional(z.string()),
  readinessGracePeriodHours: z._default(z.number(), CONFIG_DEFAULTS.readinessGracePeriodHours),
  profile: z.optional(z.string()),
  region: z.optional(z.string()),
  endpointUrl: z.optional(z.string()),
});

export type StatusArgs = z.output<typeof statusArgs>;
export type Command =
  | { readonly name: 'help' }
  | { readonly name: 'validate'; readonly args: ValidateArgs }
  | { readonly name: 'restore'; readonly args: RestoreArgs }
  | { readonly name: 'status'; readonly args: StatusArgs };

type Parsed<T> =
  | { readonly success: true; readonly data: T }
  | {
      readonly success: false;
      readonly error: { readonly issues: readonly { path: PropertyKey[]; message: string }[] };
    };

function checked<T>(result: Parsed<T>): T {
  if (!result.success) {
    throw new UsageError(
      result.error.issues
        .map((issue) => `${issue.path.map(String).join('.') || 'arguments'}: ${issue.message}`)
        .join('\n'),
    );
  }
  return result.data;
}

export function parseCommand(argv: readonly string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        dataset: { type: 'string' },
        'id-types': { type: 'string' },
        'timestamp-unit': { type: 'string' },
        'severity-overrides': { type: 'string' },
        'schema-only': { type: 'boolean' },
        'memory-budget': { type: 'string' },
        decoders: { type: 'string' },
        json: { type: 'boolean' },
        profile: { type: 'string' },
        region: { type: 'string' },
        'endpoint-url': { type: 'string' },
        yes: { type: 'boolean', short: 'y' },
        readiness: { type: 'string' },
        datasets: { type: 'string' },
        'start-day': { type: 'string' },
        'grace-hours': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const [command, ...paths] = parsed.positionals;
  if (parsed.values.help || command === undefined || command === 'help') return { name: 'help' };
  const s3Flags = {
    profile: parsed.values.profile,
    region: parsed.values.region,
    endpointUrl: parsed.values['endpoint-url'],
  };
  if (command === 'restore') {
    const args = checked(restoreArgs.safeParse({ uris: paths, yes: parsed.values.yes, ...s3Flags }));
    return { name: 'restore', args };
  }
  if (command === 'status') return { name: 'status', args: checked(statusCommand(paths, parsed.values, s3Flags)) };
  if (command !== 'validate') throw new UsageError(`unknown command '${command}'`);
  const result = validateArgs.safeParse({
    paths,
    dataset: parsed.values.dataset,
    idTypes: parsed.values['id-types'],
    timestampUnit: parsed.values['timestamp-unit'],
    severityOverrides: parsed.values['severity-overrides'],
    schemaOnly: parsed.values['schema-only'],
    memoryBudgetMb: parsed.values['memory-budget'],
    decoders: parsed.values.decoders,
    json: parsed.values.json,
    ...s3Flags,
  });
  return { name: 'validate', args: checked(result) };
}

function statusCommand(paths: string[], values: Record<string, string | boolean | undefined>, s3Flags: object) {
  if (paths.length !== 1) throw new UsageError('status takes one bucket: statsig-s3 status s3://bucket');
  const text = (name: string) => values[name] as string | undefined;
  const grace = text('grace-hours');
  const parsed = statusArgs.safeParse({
    uri: paths[0],
    json: values.json,
    readinessMode: text('readiness'),
    datasets: text('datasets')
      ?.split(',')
      .map((part) => part.trim()),
    readinessStartDay: text('start-day'),
    readinessGracePeriodHours: grace === undefined ? undefined : Number(grace),
    ...s3Flags,
  });
  if (!parsed.success) return parsed;
  // The construct's own checks, so a flag is refused exactly where the prop would be.
  const { datasets, readinessStartDay, readinessGracePeriodHours } = parsed.data;
  const problems = configProblems({ datasets, readinessStartDay, readinessGracePeriodHours });
  if (problems.length === 0) return parsed;
  throw new UsageError(problems.map((problem) => `--${STATUS_FLAGS[problem.field]}: ${problem.message}`).join('\n'));
}

const STATUS_FLAGS: Partial<Record<ConfigField, string>> = {
  datasets: 'datasets',
  readinessStartDay: 'start-day',
  readinessGracePeriodHours: 'grace-hours',
};
