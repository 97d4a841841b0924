/**
 * Severity overrides (spec §6): a team may downgrade an error rule to a warning, or raise a warning to an error, by
 * rule id, with the construct prop `severityOverrides` or the CLI flag `--severity-overrides`. Both sides check them
 * here, so the construct needs no validator module at synth: the rule ids are plain data, held equal to the rule
 * catalogue by a test and by the catalogue's type.
 */

export const SEVERITIES = ['error', 'warning'] as const;
export type OverrideSeverity = (typeof SEVERITIES)[number];
/** Rule id to the severity its findings get instead of the catalogue's. */
export type SeverityOverrides = Readonly<Record<string, OverrideSeverity>>;

/** Every rule id the validator can report, as its catalogue (`lambda/validation/contracts/rules.ts`) lists them. */
export const RULE_IDS = [
  'path.day-folder',
  'path.hive-folder',
  'path.signals-folder',
  'parquet.empty-file',
  'parquet.not-parquet',
  'parquet.truncated',
  'parquet.encrypted',
  'parquet.unsupported-codec',
  'parquet.corrupt',
  'parquet.decode-timeout',
  'parquet.invalid-utf8',
  'file.too-large',
  'file.empty',
  'schema.missing-column',
  'schema.recommended-column',
  'schema.column-case',
  'schema.wrong-type',
  'schema.nested-column',
  'schema.unknown-column',
  'value.null',
  'events.timestamp.range',
  'events.timestamp.outside-day',
  'events.event_name.length',
  'events.event_name.space',
  'events.user.invalid',
  'events.user.key-case',
  'events.user.id-missing',
  'events.user.id-empty',
  'events.user.id-type',
  'events.user.custom-ids-type',
  'events.user.id-number',
  'events.user.stable-id-only',
  'events.user.stable-id-top-level',
  'events.user.key-type',
  'events.event_value.length',
  'events.event_metadata.json',
  'events.event_metadata.value-type',
  'events.timeuuid.invalid',
  'metrics.unit_id.empty',
  'metrics.id_type.unknown',
  'metrics.date.invalid',
  'metrics.date.folder-mismatch',
  'metrics.metric_name.length',
  'metrics.number.non-finite',
  'metrics.value.missing',
  'metrics.ratio.mixed',
  'metrics.duplicate-key',
  'metrics.duplicate-key.partial',
  'signals.finished_date.invalid',
  'signals.finished_date.not-ended',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

/**
 * Rules whose findings mean Statsig cannot read the file at all: they can never be downgraded (a prefix ends with
 * `.`, so `parquet.` is every parquet rule).
 */
export const UNREADABLE_RULES: readonly string[] = [
  'path.',
  'parquet.',
  'schema.missing-column',
  'schema.wrong-type',
  'schema.column-case',
  'schema.nested-column',
  // Downgraded, a file nobody finished checking would reach Statsig.
  'file.too-large',
];

export function isUnreadableRule(id: string): boolean {
  return UNREADABLE_RULES.some((rule) => (rule.endsWith('.') ? id.startsWith(rule) : id === rule));
}

/** The environment variable that carries the overrides to the function, as JSON. */
export const SEVERITY_OVERRIDES_ENV = 'STATSIG_SEVERITY_OVERRIDES';

/** Every problem with a set of overrides, each naming the rule: unknown ids, unknown severities, forbidden downgrades. */
export function severityOverrideProblems(overrides: Readonly<Record<string, string>>): string[] {
  const problems: string[] = [];
  const known: readonly string[] = RULE_IDS;
  for (const [id, severity] of Object.entries(overrides)) {
    if (!known.includes(id)) problems.push(`"${id}" is not a rule id of the validator (see its rule table)`);
    else if (!(SEVERITIES as readonly string[]).includes(severity))
      problems.push(`"${id}": the severity must be one of ${SEVERITIES.join(', ')}, got "${severity}"`);
    else if (severity === 'warning' && isUnreadableRule(id))
      problems.push(`"${id}" cannot be downgraded: its findings mean Statsig cannot read the file`);
  }
  return problems;
}
