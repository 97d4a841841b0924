import type { StatsigUserRules } from './contracts';
import type { Problem } from './value-rules';

/** How a JSON value reads in a message. */
export function jsonKind(json: unknown): string {
  return json === null ? 'null' : Array.isArray(json) ? 'an array' : `a ${typeof json}`;
}

const isObject = (json: unknown): json is Record<string, unknown> =>
  json !== null && typeof json === 'object' && !Array.isArray(json);

const fold = (key: string) => key.toLowerCase().replace(/[_-]/g, '');

interface Id {
  readonly where: string;
  readonly value: unknown;
}

/**
 * Judges a parsed `user` object (spec §2). A member holding JSON null is absent, as `to_json` writes absent values.
 * Every problem has its own rule, so an ID that is there but malformed is never reported as missing.
 */
export function checkUser(rules: StatsigUserRules, json: Record<string, unknown>): Problem[] {
  const user = Object.fromEntries(Object.entries(json).filter(([, value]) => value !== null));
  const miscased = Object.keys(user)
    .map((key) => keyCaseProblem(rules, key))
    .find(Boolean);
  // A mis-cased ID key is the cause of any missing-ID problem: the rename is the one fix to show.
  if (miscased) return [miscased];

  const problems: Problem[] = [];
  const ids: Id[] = [];
  for (const [key, holds] of Object.entries(rules.keys)) {
    if (!(key in user)) continue;
    const value = user[key];
    if (holds === 'id') ids.push({ where: key, value });
    else if (holds === 'ids' && !isObject(value))
      problems.push({ rule: rules.customIdsType, problem: `${key} is ${jsonKind(value)}, not an object` });
    else if (holds === 'ids' && isObject(value)) {
      for (const [type, id] of Object.entries(value)) if (id !== null) ids.push({ where: `${key}.${type}`, value: id });
    } else if (holds === 'text' && typeof value !== 'string')
      problems.push({ rule: rules.keyType, problem: `${key} is ${jsonKind(value)}, not a string` });
    else if (holds === 'object' && !isObject(value))
      problems.push({ rule: rules.keyType, problem: `${key} is ${jsonKind(value)}, not an object` });
  }

  const malformed = ids.filter(({ value }) => typeof value !== 'string' && typeof value !== 'number');
  for (const { where, value } of malformed)
    problems.push({ rule: rules.idType, problem: `${where} is ${jsonKind(value)}, not a string` });
  const usable = ids.filter(({ value }) => typeof value === 'number' || (typeof value === 'string' && value !== ''));
  const topLevelStableId = rules.stableIdKey in user;

  if (usable.length === 0) {
    if (topLevelStableId) {
      problems.push({
        rule: rules.stableIdOnly,
        problem: `has ${rules.stableIdKey} only at the top level, where Statsig does not read it, and no other ID`,
      });
    } else if (problems.length === 0) {
      const empty = ids.filter(({ value }) => value === '').map(({ where }) => where);
      problems.push(
        empty.length
          ? { rule: rules.idEmpty, problem: `has only empty IDs (${empty.join(', ')})` }
          : {
              rule: rules.idMissing,
              problem: 'has no userID and no customIDs entry, so Statsig cannot attribute the event to a unit',
            },
      );
    }
    return problems;
  }
  for (const { where, value } of usable) {
    if (typeof value === 'number')
      problems.push({
        rule: rules.idNumber,
        problem: `${where} is the number ${value}; Statsig reads it as "${value}"`,
      });
  }
  if (topLevelStableId) {
    problems.push({
      rule: rules.stableIdTopLevel,
      problem: `has ${rules.stableIdKey} at the top level, where Statsig does not read it`,
    });
  }
  return problems;
}

/** The rename a key needs when it is a near miss of a key Statsig reads; undefined for any other key. */
export function keyCaseProblem(rules: StatsigUserRules, key: string): Problem | undefined {
  if (key in rules.keys || key === rules.stableIdKey) return undefined;
  const folded = fold(key);
  const known = Object.keys(rules.keys).find((candidate) => fold(candidate) === folded);
  const meant = rules.aliases[folded] ?? (known ? `"${known}"` : undefined);
  if (!meant) return undefined;
  return {
    rule: rules.keyCase,
    problem: `has the key "${key}", which Statsig does not read (keys are case-sensitive)`,
    hint: `did you mean ${meant}? Rename the key`,
  };
}
