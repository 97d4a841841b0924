import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULE_CATALOGUE, type Severity } from '../../lambda/validation';
import { isUnreadableRule, RULE_IDS, UNREADABLE_RULES } from '../../lambda/wire/severity-overrides';

/** The README's rule table and the docs say what the catalogue says: a rule added, renamed or re-weighed shows. */

const REPO = join(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(REPO, file), 'utf8');

/** The first column of the table in "What the validator checks": rule ids in backticks, "(warning)" after a warning. */
function readmeTable(): Record<string, Severity> {
  const section = read('README.md')
    .split(/^## /m)
    .find((part) => part.startsWith('What the validator checks\n'));
  if (!section) throw new Error('README.md has no section "What the validator checks"');
  const rules: Record<string, Severity> = {};
  for (const row of section.split('\n').filter((line) => line.startsWith('| `'))) {
    for (const [, id, warning] of row.split('|')[1].matchAll(/`([^`]+)`( \(warning\))?/g)) {
      if (id in rules) throw new Error(`README.md lists ${id} twice`);
      rules[id] = warning ? 'warning' : 'error';
    }
  }
  return rules;
}

const catalogue = () => Object.fromEntries(RULE_CATALOGUE.map((rule) => [rule.id, rule.severity]));

test("the README's rule table lists every catalogued rule, with its severity, and nothing else", () => {
  expect(readmeTable()).toEqual(catalogue());
});

test('the catalogue names each rule once, each with a fix and a line of documentation', () => {
  const ids = RULE_CATALOGUE.map((rule) => rule.id);
  expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);
  for (const rule of RULE_CATALOGUE) {
    expect(rule.id).toMatch(/^[a-z]+(\.[a-z0-9_-]+)+$/);
    expect(rule.hint.length).toBeGreaterThan(10);
    expect(rule.doc.length).toBeGreaterThan(10);
  }
});

test('every rule docs/validator.md names is catalogued', () => {
  const named = [
    ...read('docs/validator.md').matchAll(/`((?:path|parquet|schema|value|file|events|metrics|signals)\.[^`]+)`/g),
  ];
  expect(named.length).toBeGreaterThan(0);
  expect(named.map(([, id]) => id).filter((id) => !(id in catalogue()))).toEqual([]);
});

test("the wire's rule ids, which the construct checks overrides against, are the catalogue's", () => {
  expect([...RULE_IDS].sort()).toEqual(RULE_CATALOGUE.map((rule) => rule.id).sort());
});

test('every rule that cannot be downgraded is a catalogued error, and each entry of the list names some', () => {
  for (const entry of UNREADABLE_RULES) {
    const named = RULE_CATALOGUE.filter((rule) =>
      entry.endsWith('.') ? rule.id.startsWith(entry) : rule.id === entry,
    );
    expect({ entry, named: named.length > 0 }).toEqual({ entry, named: true });
  }
  const fixed = RULE_CATALOGUE.filter((rule) => isUnreadableRule(rule.id));
  expect(fixed.filter((rule) => rule.severity !== 'error')).toEqual([]);
  // Spec §6's list, as ids: every parquet and path rule and the four schema rules that make a file unreadable.
  expect(fixed.map((rule) => rule.id).filter((id) => id.startsWith('schema.'))).toEqual([
    'schema.missing-column',
    'schema.column-case',
    'schema.wrong-type',
    'schema.nested-column',
  ]);
  expect(fixed.some((rule) => rule.id === 'file.empty' || rule.id === 'value.null')).toBe(false);
});
