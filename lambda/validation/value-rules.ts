import { dayFromNumber, dayNumber, statsigDayEndMs } from './calendar';
import { type ParquetKind, type RuleSpec, type StatsigUserRules, type ValueRule } from './contracts';
import { isStringObject } from './json-cursor';
import { eventMetadataValuesShape } from './json-shapes';
import type { ResolvedOptions } from './options';
import { nearMiss } from './text';
import { checkUser, jsonKind } from './user-check';
import { userScanner } from './user-scan';

/**
 * What a value rule says about one value. `rule` names one of the rule's own sub-rules for a more specific finding,
 * `hint` a fix that knows the value.
 */
export interface Problem {
  readonly problem: string;
  readonly rule?: RuleSpec;
  readonly hint?: string;
}

/** Checks one non-null value; undefined means the value passes. A `user` object can have several problems. */
export type ValueCheck = (value: unknown) => Problem | readonly Problem[] | undefined;

export interface ValueRuleContext {
  readonly options: ResolvedOptions;
  /** The kind the file declares for the column (a DATE and a date string are checked alike). */
  readonly kind: ParquetKind;
}

type Factories = {
  [K in ValueRule['check']]: (rule: Extract<ValueRule, { check: K }>, context: ValueRuleContext) => ValueCheck;
};

const DAY_MS = 86_400_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A DATE column arrives as a day number, a string column as text: both become `YYYY-MM-DD` (or stay invalid text). */
function asDay(value: unknown): string {
  return typeof value === 'number' ? dayFromNumber(value) : String(value);
}

function parseJson(value: unknown): { ok: true; json: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, json: JSON.parse(String(value)) };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

/** The value rules a contract can name. Each returns a check for one column of one file. */
const VALUE_RULES: Factories = {
  length: (rule) => (value) => {
    const text = String(value);
    // The spec's limits are in characters: an emoji is one character but two UTF-16 units. Only a text longer
    // than the limit in units can be longer in characters, so the count is paid for rarely.
    const length = text.length > rule.max ? [...text].length : text.length;
    if (length < rule.min)
      return { problem: `is empty; it needs at least ${rule.min} character${rule.min === 1 ? '' : 's'}` };
    if (length > rule.max) return { problem: `is ${length} characters long; the limit is ${rule.max}` };
    return undefined;
  },

  noSpace: () => (value) => (String(value).includes(' ') ? { problem: 'contains a space' } : undefined),

  notEmpty: () => (value) => (String(value).length === 0 ? { problem: 'is empty' } : undefined),

  epochTime: (rule, { options, kind }) => {
    const earliestMs = (dayNumber(rule.earliest) ?? 0) * DAY_MS;
    const latestMs = options.nowMs + rule.futureDays * DAY_MS;
    const inRange = (ms: number) => ms >= earliestMs && ms <= latestMs;
    const range = `${rule.earliest} to ${new Date(latestMs).toISOString().slice(0, 10)}`;
    if (kind === 'timestamp') {
      return (value) =>
        inRange(Number(value)) ? undefined : { problem: `is ${describeInstant(Number(value))}, outside ${range}` };
    }
    const unit = options.timestampUnit;
    const other = unit === 'seconds' ? 'milliseconds' : 'seconds';
    const msPer = { seconds: 1000, milliseconds: 1 } as const;
    return (value) => {
      const number = Number(value);
      if (inRange(number * msPer[unit])) return undefined;
      const asOther = number * msPer[other];
      return {
        problem: `is ${String(value)}: as epoch ${unit} ${describeInstant(number * msPer[unit])}, as epoch ${other} ${describeInstant(asOther)}; the range is ${range}`,
        hint: inRange(asOther)
          ? `the value fits as epoch ${other}: convert it to ${unit}${other === 'milliseconds' ? ' (divide by 1000)' : ' (multiply by 1000)'}, or set ${options.timestampUnitSetting} to ${other}`
          : rule.hint,
      };
    };
  },

  statsigUser: (rule) => {
    const passes = userScanner(rule.rules);
    return (value) => (passes(String(value)) ? undefined : judgeUser(rule.rules, value));
  },

  jsonObject: (rule) => (value) => (isStringObject(String(value)) ? undefined : judgeJsonObject(rule, value)),

  uuid: () => (value) => (UUID.test(String(value)) ? undefined : { problem: 'is not a UUID' }),

  idType:
    (_rule, { options }) =>
    (value) => {
      const idType = String(value);
      if (options.idTypes.includes(idType)) return undefined;
      const meant = nearMiss(idType, options.idTypes);
      return {
        problem: `'${idType}' is not one of the project's ID types (${options.idTypes.join(', ')})`,
        hint: meant
          ? `did you mean '${meant}'? ID types are case-sensitive`
          : `use one of ${options.idTypes.join(', ')}, or add '${idType}' to the construct's idTypes if it is a custom ID type of your Statsig project`,
      };
    },

  calendarDate: () => (value) =>
    dayNumber(asDay(value)) === undefined ? { problem: `is not a calendar date YYYY-MM-DD` } : undefined,

  folderDay: (_rule, { options }) => {
    const folderDay = options.day;
    if (folderDay === undefined) return () => undefined;
    return (value) => {
      const day = asDay(value);
      return dayNumber(day) !== undefined && day !== folderDay
        ? { problem: `is ${day}, but the file is in the day folder ${folderDay}` }
        : undefined;
    };
  },

  dayEnded:
    (_rule, { options }) =>
    (value) => {
      const day = asDay(value);
      if (dayNumber(day) === undefined) return undefined;
      const endMs = statsigDayEndMs(day);
      return endMs > options.nowMs
        ? { problem: `${day} has not ended yet in Statsig's time zone (it ends ${new Date(endMs).toISOString()})` }
        : undefined;
    },

  finite: () => (value) => (Number.isFinite(value) ? undefined : { problem: `is ${String(value)}` }),
};

/** The value as a JSON object, or the problem that it is not one. */
function parseObject(value: unknown): { json: Record<string, unknown> } | { problem: Problem } {
  const parsed = parseJson(value);
  if (!parsed.ok) return { problem: { problem: `is not valid JSON (${parsed.error})` } };
  const json = parsed.json;
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    return { problem: { problem: `is ${jsonKind(json)}, not a JSON object` } };
  return { json: json as Record<string, unknown> };
}

/** The full `user` check, for a value the scanner did not confirm: finds and words each problem. */
function judgeUser(rules: StatsigUserRules, value: unknown): Problem | readonly Problem[] | undefined {
  const parsed = parseObject(value);
  if ('problem' in parsed) return parsed.problem;
  const problems = checkUser(rules, parsed.json);
  return problems.length ? problems : undefined;
}

/** The full `event_metadata` check, for a value that is not certainly an object of strings. */
function judgeJsonObject(rule: Extract<ValueRule, { check: 'jsonObject' }>, value: unknown): Problem | undefined {
  const parsed = parseObject(value);
  if ('problem' in parsed) return parsed.problem;
  const values = eventMetadataValuesShape.safeParse(parsed.json);
  if (values.success) return undefined;
  const key = String(values.error.issues[0].path[0]);
  return { rule: rule.nonString, problem: `the value of "${key}" is not a string` };
}

/** An instant as a person reads it; a year past 9999 as the year, not ISO's expanded `+058884-03-29`. */
function describeInstant(ms: number): string {
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return 'beyond any date';
  const date = new Date(ms);
  const year = date.getUTCFullYear();
  return year >= 0 && year <= 9999 ? date.toISOString() : `in the year ${year}`;
}

/** Rules costly enough per value (JSON parsing, date parsing, near-miss search) that a column's answers are remembered. */
export const MEMO_WORTHY: ReadonlySet<ValueRule['check']> = new Set([
  'statsigUser',
  'jsonObject',
  'idType',
  'calendarDate',
  'folderDay',
  'dayEnded',
  'uuid',
]);

/** Builds the check of one contract rule for one column of one file. */
export function valueCheck(rule: ValueRule, context: ValueRuleContext): ValueCheck {
  return (VALUE_RULES[rule.check] as (rule: ValueRule, context: ValueRuleContext) => ValueCheck)(rule, context);
}
