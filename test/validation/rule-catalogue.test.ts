import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULE_CATALOGUE, type Severity } from '../../lambda/validation';

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
