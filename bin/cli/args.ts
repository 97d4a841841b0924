import { parseArgs } from 'node:util';
import { DATASETS, TIMESTAMP_UNITS } from '../../lambda/validation';
import * as z from '../../lambda/validation/zod';
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
  --json                              print a JSON array of reports instead of text
  --profile name                      for s3://bucket/prefix: the AWS profile (default: the SDK's credential chain)
  --region name                       for s3://: the bucket's region
  --endpoint-url url                  for s3://: an S3-compatible endpoint instead of AWS
  --help                              show this help

       statsig-s3 restore s3://bucket/_quarantine/<key-or-prefix>... [--yes] [--profile, --region, --endpoint-url]

Copies quarantined objects back to their original keys, so that the pipeline judges them again (e.g. after an ID
type was added); each leaves the quarantine only after its copy succeeded. A newer object at the original key is
never overwritten. Without --yes it only tells what it would restore and changes nothing.

Exit code: 0 all files valid (or nothing to judge), 1 a file is invalid, 2 a missing path, usage or I/O error.`;

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

const validateArgs = z.object({
  paths: z.array(z.string()).check(z.minLength(1, 'name at least one file or folder')),
  dataset: z.optional(z.enum(DATASETS)),
  idTypes: z.optional(csv),
  timestampUnit: z.optional(z.enum(TIMESTAMP_UNITS)),
  severityOverrides: z.optional(overrides),
  schemaOnly: z._default(z.boolean(), false),
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
export type Command =
  | { readonly name: 'help' }
  | { readonly name: 'validate'; readonly args: ValidateArgs }
  | { readonly name: 'restore'; readonly args: RestoreArgs };

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
        json: { type: 'boolean' },
        profile: { type: 'string' },
        region: { type: 'string' },
        'endpoint-url': { type: 'string' },
        yes: { type: 'boolean', short: 'y' },
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
  if (command !== 'validate') throw new UsageError(`unknown command '${command}'`);
  const result = validateArgs.safeParse({
    paths,
    dataset: parsed.values.dataset,
    idTypes: parsed.values['id-types'],
    timestampUnit: parsed.values['timestamp-unit'],
    severityOverrides: parsed.values['severity-overrides'],
    schemaOnly: parsed.values['schema-only'],
    json: parsed.values.json,
    ...s3Flags,
  });
  return { name: 'validate', args: checked(result) };
}
