import { FILE_RULES } from './file-rules';
import type { RuleSpec } from './types';

/**
 * The rule catalogue: every rule's id, severity, fix and what it catches, in one place. The contracts give the
 * dataset rules their columns and parameters; the checks read ids from here, never spell them; the README's rule
 * table is tested against it.
 */

/** How a file's columns meet its dataset's contract. */
export const SCHEMA_RULES = {
  missingColumn: {
    id: 'schema.missing-column',
    severity: 'error',
    hint: 'add the column the contract requires',
    doc: 'a required column is missing',
  },
  recommendedColumn: {
    id: 'schema.recommended-column',
    severity: 'warning',
    hint: 'add the column the contract recommends',
    doc: 'a recommended column is missing (events without timeuuid cannot be de-duplicated)',
  },
  columnCase: {
    id: 'schema.column-case',
    severity: 'error',
    hint: "rename the column to the contract's spelling",
    doc: "a column named like a contract column but in other case: Statsig's names are case-sensitive",
  },
  wrongType: {
    id: 'schema.wrong-type',
    severity: 'error',
    hint: 'write the column with a type the contract accepts',
    doc: 'a column of a type Statsig does not accept (FLOAT, INT or DECIMAL metrics, TIMESTAMP(NANOS), the UUID type)',
  },
  nestedColumn: {
    id: 'schema.nested-column',
    severity: 'error',
    hint: 'write the column flat: a JSON string instead of a struct, list or map',
    doc: 'a STRUCT, LIST or MAP where Statsig needs a flat column',
  },
  unknownColumn: {
    id: 'schema.unknown-column',
    severity: 'warning',
    hint: 'Statsig ignores this column: drop it',
    doc: 'a column the dataset does not have (an error in signals, whose contract raises it)',
  },
  nullValue: {
    id: 'value.null',
    severity: 'error',
    hint: 'write a value in every row of the column',
    doc: 'a null in a column Statsig requires',
  },
} as const satisfies Record<string, RuleSpec>;

/** Statsig's events dataset (spec §2). */
export const EVENTS_RULES = {
  timestampRange: {
    id: 'events.timestamp.range',
    severity: 'error',
    hint: 'write the event time as epoch seconds, or set the timestamp unit to the one your data uses',
    doc: 'a timestamp outside [2000-01-01, now + 1 day]; the hint suggests the other unit when it would fit',
  },
  timestampOutsideDay: {
    id: 'events.timestamp.outside-day',
    severity: 'warning',
    hint: "put each event in the folder of its day in Statsig's time zone (UTC−8): Statsig loads a day by that window",
    doc: "rows whose time falls outside the folder's day in UTC−8 (D 08:00Z to D+1 08:00Z): one finding with the count and the first row",
  },
  eventNameLength: {
    id: 'events.event_name.length',
    severity: 'error',
    hint: 'use an event name of 1 to 127 characters',
    doc: 'an event name of 0 or more than 127 characters (counted as characters, not bytes)',
  },
  eventNameSpace: {
    id: 'events.event_name.space',
    severity: 'warning',
    hint: 'Statsig asks for _ instead of spaces in event names',
    doc: 'an event name with a space',
  },
  userInvalid: {
    id: 'events.user.invalid',
    severity: 'error',
    hint: 'write a JSON object with a non-empty "userID" string or a "customIDs" object, e.g. {"userID":"u1"}',
    doc: 'a user that is not a JSON object',
  },
  userKeyCase: {
    id: 'events.user.key-case',
    severity: 'error',
    hint: 'rename the key to the one Statsig reads',
    doc: 'a user key Statsig does not read that looks like one it does (userId, userid, customIds, stableId)',
  },
  userIdMissing: {
    id: 'events.user.id-missing',
    severity: 'error',
    hint: 'write a JSON object with a non-empty "userID" string or a "customIDs" object, e.g. {"userID":"u1"}',
    doc: 'a user object with no userID and no customIDs entry at all (null members count as absent)',
  },
  userIdEmpty: {
    id: 'events.user.id-empty',
    severity: 'error',
    hint: 'write the ID the event belongs to; leave the key out (or null) when there is none',
    doc: 'a user whose only IDs are empty strings',
  },
  userIdType: {
    id: 'events.user.id-type',
    severity: 'error',
    hint: 'write each ID as a string, e.g. {"userID":"u1"} or {"customIDs":{"companyID":"c1"}}',
    doc: 'a userID or customIDs value that is neither a string nor a number (true, an object, an array)',
  },
  userCustomIdsType: {
    id: 'events.user.custom-ids-type',
    severity: 'error',
    hint: 'write customIDs as an object of ID type to ID, e.g. {"customIDs":{"companyID":"c1"}}',
    doc: 'a customIDs that is not a JSON object',
  },
  userIdNumber: {
    id: 'events.user.id-number',
    severity: 'warning',
    hint: 'write IDs as strings that match the IDs you log ("123", not 123): Statsig reads a number as text',
    doc: 'a number as userID or as a customIDs value (valid: Statsig reads it as text)',
  },
  userStableIdOnly: {
    id: 'events.user.stable-id-only',
    severity: 'error',
    hint: 'move stableID into customIDs: {"customIDs":{"stableID":"…"}}',
    doc: 'a top-level stableID as the only ID: Statsig reads stableID from customIDs only',
  },
  userStableIdTopLevel: {
    id: 'events.user.stable-id-top-level',
    severity: 'warning',
    hint: 'move stableID into customIDs: {"customIDs":{"stableID":"…"}}',
    doc: 'a top-level stableID beside another ID: Statsig does not read it there',
  },
  userKeyType: {
    id: 'events.user.key-type',
    severity: 'error',
    hint: 'write the key with the type Statsig reads: text for email, ip, country…; an object for custom and privateAttributes',
    doc: 'a known user key with a value of the wrong type (an email that is a number, a custom that is a string)',
  },
  eventValueLength: {
    id: 'events.event_value.length',
    severity: 'warning',
    hint: 'keep event_value to 127 characters; put longer data in event_metadata',
    doc: 'an event value of more than 127 characters',
  },
  metadataJson: {
    id: 'events.event_metadata.json',
    severity: 'error',
    hint: 'write a JSON object of string values, e.g. {"plan":"pro"}',
    doc: 'event metadata that is not a JSON object',
  },
  metadataValueType: {
    id: 'events.event_metadata.value-type',
    severity: 'warning',
    hint: 'Statsig reads metadata values as strings: write "3" rather than 3',
    doc: 'an event metadata value that is not a string',
  },
  timeuuidInvalid: {
    id: 'events.timeuuid.invalid',
    severity: 'warning',
    hint: 'write a UUID string per event, e.g. uuid()::varchar in DuckDB; a unique string still de-duplicates',
    doc: 'a timeuuid string that is not a UUID (Statsig de-duplicates on the value, so it still works)',
  },
} as const satisfies Record<string, RuleSpec>;

/** Statsig's metrics dataset (spec §3). */
export const METRICS_RULES = {
  unitIdEmpty: {
    id: 'metrics.unit_id.empty',
    severity: 'error',
    hint: 'write the ID of the unit the metric is for',
    doc: 'an empty unit ID',
  },
  idTypeUnknown: {
    id: 'metrics.id_type.unknown',
    severity: 'error',
    hint: "use one of the project's ID types, spelled exactly (case-sensitive)",
    doc: "an ID type that is not one of the project's (a near miss gets a did-you-mean)",
  },
  dateInvalid: {
    id: 'metrics.date.invalid',
    severity: 'error',
    hint: 'write a real calendar date as YYYY-MM-DD',
    doc: 'a date that is not a calendar date',
  },
  dateFolderMismatch: {
    id: 'metrics.date.folder-mismatch',
    severity: 'error',
    hint: 'put the row in the day folder of its date, or fix the date',
    doc: "a date other than the file's day folder",
  },
  metricNameLength: {
    id: 'metrics.metric_name.length',
    severity: 'error',
    hint: 'use a metric name of 1 to 127 characters',
    doc: 'a metric name of 0 or more than 127 characters',
  },
  numberNonFinite: {
    id: 'metrics.number.non-finite',
    severity: 'error',
    hint: 'write a finite number or null',
    doc: 'NaN or ±Infinity in metric_value, numerator or denominator',
  },
  valueMissing: {
    id: 'metrics.value.missing',
    severity: 'error',
    hint: 'write metric_value, or both numerator and denominator',
    doc: 'a row with neither metric_value nor both numerator and denominator',
  },
  ratioMixed: {
    id: 'metrics.ratio.mixed',
    severity: 'warning',
    hint: 'give every row of a ratio metric a denominator, or split it into two metrics',
    doc: 'a ratio metric with rows Statsig will drop for their missing denominator (named, with the count)',
  },
  duplicateKey: {
    id: 'metrics.duplicate-key',
    severity: 'warning',
    hint: 'aggregate to one row per unit, ID type, date and metric',
    doc: 'a row repeating the unit, ID type, date and metric of an earlier row',
  },
  duplicateKeyPartial: {
    id: 'metrics.duplicate-key.partial',
    severity: 'warning',
    hint: 'split the file into smaller files to have every row checked for duplicates',
    doc: 'a file with more distinct keys than the duplicate check tracks: it says how many rows it covered',
  },
} as const satisfies Record<string, RuleSpec>;

/** Statsig's signals dataset (spec §4). */
export const SIGNALS_RULES = {
  finishedDateInvalid: {
    id: 'signals.finished_date.invalid',
    severity: 'error',
    hint: 'write a real calendar date as YYYY-MM-DD',
    doc: 'a finished date that is not a calendar date',
  },
  finishedDateNotEnded: {
    id: 'signals.finished_date.not-ended',
    severity: 'error',
    hint: "signal a day only after it has ended in Statsig's time zone (UTC−8, D+1 08:00 UTC)",
    doc: "a finished date that has not ended in Statsig's time zone (UTC−8)",
  },
} as const satisfies Record<string, RuleSpec>;

/** Every rule the validator can report, each once. */
export const RULE_CATALOGUE: readonly RuleSpec[] = [
  FILE_RULES,
  SCHEMA_RULES,
  EVENTS_RULES,
  METRICS_RULES,
  SIGNALS_RULES,
].flatMap((group) => Object.values(group));
