import fc from 'fast-check';
import { CONTRACTS, type StatsigUserRules } from '../../lambda/validation/contracts';
import { isStringObject } from '../../lambda/validation/json-cursor';
import { checkUser } from '../../lambda/validation/user-check';
import { userScanner } from '../../lambda/validation/user-scan';

/**
 * The JSON checks' fast paths confirm a value without parsing it; whatever they confirm, the full check (JSON.parse,
 * then the rules) must find nothing wrong with. Values are generated around the shapes that matter: Statsig's keys,
 * near misses of them, nulls, numbers, duplicates, escapes, whitespace, and text cut or spliced anywhere.
 */

const userRule = CONTRACTS.events.columns.find((column) => column.name === 'user')!.values[0];
const RULES = (userRule as { rules: StatsigUserRules }).rules;

const parsedObject = (text: string): Record<string, unknown> | undefined => {
  try {
    const json: unknown = JSON.parse(text);
    return json !== null && typeof json === 'object' && !Array.isArray(json)
      ? (json as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
};
const userPasses = (text: string) => {
  const json = parsedObject(text);
  return json !== undefined && checkUser(RULES, json).length === 0;
};
const stringObject = (text: string) => {
  const json = parsedObject(text);
  return json !== undefined && Object.values(json).every((value) => typeof value === 'string');
};

const KEYS = [
  'userID',
  'customIDs',
  'email',
  'country',
  'custom',
  'privateAttributes',
  'stableID',
  'userId',
  'user_id',
  'CustomIds',
  'plan',
  'toString',
  '__proto__',
  'user\\u0049D',
];
const leaf = fc.oneof(
  fc.constantFrom('""', '"u1"', '"a\\"b"', '"\\u00e9"', 'null', '0', '-1.5e3', 'true', '[]', '[1,"x"]', '{}'),
  fc.json({ maxDepth: 2 }),
);
const ids = fc
  .array(fc.tuple(fc.constantFrom('stableID', 'companyID', 'a', 'a'), leaf), { maxLength: 3 })
  .map((members) => `{${members.map(([key, value]) => `"${key}":${value}`).join(',')}}`);
const member = fc.tuple(fc.constantFrom(...KEYS), fc.oneof(leaf, ids));
const space = fc.constantFrom('', ' ', '\n\t', '\r ');
const userText = fc
  .tuple(fc.array(member, { maxLength: 5 }), space)
  .map(([members, ws]) => `${ws}{${members.map(([key, value]) => `"${key}"${ws}:${ws}${value}`).join(`,${ws}`)}}${ws}`);
/** Text damaged the way a producer's string building damages it: cut short, or spliced. */
const damaged = (text: fc.Arbitrary<string>) =>
  fc.oneof(
    text,
    fc.tuple(text, fc.nat()).map(([value, at]) => value.slice(0, at % (value.length + 1))),
    fc
      .tuple(text, fc.nat(), fc.constantFrom('"', ',', '}', '{', '\\', '\u0001', ':', ' ', 'x', '0'))
      .map(
        ([value, at, piece]) => value.slice(0, at % (value.length + 1)) + piece + value.slice(at % (value.length + 1)),
      ),
  );

describe('the user fast path', () => {
  const passes = userScanner(RULES);

  it('confirms only users the full check finds nothing wrong with', () => {
    fc.assert(
      fc.property(damaged(userText), (text) => {
        if (passes(text)) expect(userPasses(text)).toBe(true);
      }),
      { seed: 20261205, numRuns: 5000 },
    );
  });

  it('confirms the shapes producers write, so that the full check runs only for problems and rare shapes', () => {
    const shapes = [
      '{"userID":"user-1","country":"US","custom":{"plan":"pro"}}',
      '{ "userID": "u", "customIDs": { "stableID": "s", "companyID": "c" } }',
      '{"customIDs":{"stableID":"s"},"email":null,"custom":{"a":[1,2,{"b":null}]},"appVersion":"1.2"}',
      '{"userID":"","customIDs":{"deviceID":"d"},"plan":"gold"}',
    ];
    for (const shape of shapes) {
      expect(userPasses(shape)).toBe(true);
      expect(passes(shape)).toBe(true);
    }
  });
});

describe('the event_metadata fast path', () => {
  it('confirms only objects whose every value is a string', () => {
    const metadata = fc.oneof(
      fc.json({ maxDepth: 2 }),
      fc.dictionary(fc.string(), fc.string()).map((object) => JSON.stringify(object)),
    );
    fc.assert(
      fc.property(damaged(metadata), (text) => {
        expect(isStringObject(text)).toBe(stringObject(text));
      }),
      { seed: 20261205, numRuns: 5000 },
    );
  });
});
