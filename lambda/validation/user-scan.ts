import type { StatsigUserRules } from './contracts';
import { JsonCursor } from './json-cursor';
import { keyCaseProblem } from './user-check';

/** Distinct unknown top-level keys whose key-case answer is remembered per column. */
const REMEMBERED_KEYS = 1024;

type Holds = StatsigUserRules['keys'][string];

/**
 * The fast path of the `user` check: confirms, in one pass over the text and without parsing it into objects, that a
 * user has no problem at all, in the shapes producers write (a string userID, an object of string customIDs, string
 * and object attributes, nulls, other keys that look like no Statsig key). Anything else, a problem or merely a shape
 * it does not follow (escaped keys, a key twice, a number), answers false and goes to JSON.parse and `checkUser`,
 * which find and word the problems. One scanner serves a column: it allocates nothing per value that passes.
 */
export function userScanner(rules: StatsigUserRules): (text: string) => boolean {
  const known = Object.entries(rules.keys) as [string, Holds][];
  const harmless = new Map<string, boolean>();
  const cursor = new JsonCursor();
  /** Known keys seen in this user, a bit each: a key twice goes to JSON.parse, which keeps the last. */
  let seen = 0;
  let usable = false;
  /** customIDs names of this user, for the same reason. */
  const names: string[] = [];

  const unknownKeyIsHarmless = (key: string) => {
    let answer = harmless.get(key);
    if (answer === undefined) {
      answer = key !== rules.stableIdKey && key !== '__proto__' && keyCaseProblem(rules, key) === undefined;
      if (harmless.size < REMEMBERED_KEYS) harmless.set(key, answer);
    }
    return answer;
  };
  /** A string ID (usable unless empty) or null, which counts as absent. */
  const id = () => {
    if (cursor.peek() === 0x6e) return cursor.null();
    if (!cursor.string()) return false;
    usable ||= cursor.end > cursor.start;
    return true;
  };
  const customId = () => {
    const name = cursor.text.slice(cursor.start, cursor.end);
    if (cursor.escaped || names.includes(name)) return false;
    names.push(name);
    return id();
  };
  const value = (holds: Holds) => {
    if (holds === 'id') return id();
    if (cursor.peek() === 0x6e) return cursor.null();
    if (holds === 'text') return cursor.string();
    if (cursor.peek() !== 0x7b) return false;
    if (holds === 'object') return cursor.value();
    names.length = 0;
    return cursor.object(customId);
  };
  const member = () => {
    if (cursor.escaped) return false;
    for (let index = 0; index < known.length; index++) {
      if (!cursor.keyIs(known[index][0])) continue;
      // Past 31 keys bits repeat: a false "twice" only sends the user to the full check.
      const bit = 1 << index;
      if (seen & bit) return false;
      seen |= bit;
      return value(known[index][1]);
    }
    return unknownKeyIsHarmless(cursor.text.slice(cursor.start, cursor.end)) && cursor.value();
  };

  return (text) => {
    seen = 0;
    usable = false;
    return cursor.reset(text).object(member) && cursor.atEnd() && usable;
  };
}
