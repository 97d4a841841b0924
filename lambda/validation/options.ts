import * as z from './zod';
import { isCalendarDay } from './calendar';
import { DATASETS } from '../wire/datasets';
import { DEFAULT_ID_TYPES, TIMESTAMP_UNITS } from '../wire/data-options';
import { SEVERITIES, severityOverrideProblems } from '../wire/severity-overrides';

/** How many findings of each severity a report lists; the rest are counted. */
const MAX_LISTED_FINDINGS = 100;

export const validationOptionsSchema = z.object({
  /** The file's name in messages: a path or an S3 key. */
  file: z.string().check(z.minLength(1)),
  dataset: z.enum(DATASETS),
  /** The day folder the file sits in; metrics dates must equal it. */
  day: z.optional(z.string().check(z.refine(isCalendarDay, 'must be a calendar day YYYY-MM-DD'))),
  /** ID types `id_type` may hold (case-sensitive). */
  idTypes: z._default(z.array(z.string().check(z.minLength(1))).check(z.minLength(1)), [...DEFAULT_ID_TYPES]),
  /** Unit of integer `timestamp` columns in events. */
  timestampUnit: z._default(z.enum(TIMESTAMP_UNITS), 'seconds'),
  /** How the caller's user sets the unit, for hints: the construct prop, or the CLI's flag. */
  timestampUnitSetting: z._default(z.string(), "the construct's timestampUnit"),
  /** Rule id to the severity its findings get instead of the catalogue's; unreadable-file rules stay errors. */
  severityOverrides: z._default(z.record(z.string(), z.enum(SEVERITIES)), {}),
  /** "Now" in epoch milliseconds, for future-date checks; a parameter so results are reproducible. */
  nowMs: z.optional(z.int()),
  /** How long one row group (or slice) may take to decode before the file is judged corrupt. */
  decodeTimeoutMs: z._default(z.int().check(z.positive()), 60_000),
  /** Check the schema only, reading nothing but the footer. */
  schemaOnly: z._default(z.boolean(), false),
  maxListed: z._default(z.int().check(z.positive()), MAX_LISTED_FINDINGS),
});

export type ValidationOptions = z.input<typeof validationOptionsSchema>;
export type ResolvedOptions = z.output<typeof validationOptionsSchema> & { readonly nowMs: number };

export function resolveOptions(options: ValidationOptions): ResolvedOptions {
  // The overrides' problems name each rule; zod's message would only say that one is wrong.
  const overrideProblems = severityOverrideProblems(options.severityOverrides ?? {});
  if (overrideProblems.length) throw new Error(`severity overrides: ${overrideProblems.join('; ')}`);
  const parsed = validationOptionsSchema.parse(options);
  return { ...parsed, nowMs: parsed.nowMs ?? Date.now() };
}
