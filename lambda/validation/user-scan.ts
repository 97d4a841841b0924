import type { StatsigUserRules } from './contracts';
import { JsonCursor } from './json-cursor';
import { keyCaseProblem } from './user-check';

/** Distinct unknown top-level keys whose key-case answer is remembered per column. */
const REMEMBERED_KEYS = 1024;

/**
 * The fast path of the `user` check: confirms, in one pass over the text and without parsing it into objects, that a
 * user has no problem at all, in the shapes producers write (a string userID, an object of string customIDs, string
 * and object attributes, nulls, other keys that look like no Statsig key). Anything else, a problem or merely a shape
 * it does not follow (escaped keys, a key twice, a number), answers false and goes to JSON.parse and `checkUser`,
 * which find and word the problems.
 */
export function userScanner(rules: StatsigUserRules): (text: string) => boolean {
  const keyBits = new Map(Object.keys(rules.keys).map((key, index) => [key, 1 << index]));
  const harmless = new Map<string, boolean>();
  const unknownKeyIsHarmless = (key: string) => {
    let answer = harmless.get(key);
    if (answer === undefined) {
      answer = key !== rules.stableIdKey && key !== '__proto__' && keyCaseProblem(rules, key) === undefined;
      if (harmless.size < REMEMBERED_KEYS) harmless.set(key, answer);
    }
    return answer;
  };

  return (text) => {
    const cursor = new JsonCursor(text);
    let seen = 0;
    let usable = false;
    /** A string ID (usable unless empty) or null, which counts as absent. */
    const id = () => {
      if (cursor.peek() === 0x6e) return cursor.null();
      if (!cursor.string()) return false;
      usable ||= cursor.end > cursor.start;
      return true;
    };
    const customIds = () => {
      const names: string[] = [];
      return cursor.object(() => {
        const name = text.slice(cursor.start, cursor.end);
        // A name twice: JSON.parse keeps the last value, which the raw text cannot tell without reading it twice.
        if (cursor.escaped || names.includes(name)) return false;
        names.push(name);
        return id();
      });
    };
    const member = () => {
      if (cursor.escaped) return false;
      const key = text.slice(cursor.start, cursor.end);
      const bit = keyBits.get(key);
      if (bit === undefined) return unknownKeyIsHarmless(key) && cursor.value();
      if (seen & bit) return false;
      seen |= bit;
      const holds = rules.keys[key];
      if (holds === 'id') return id();
      if (cursor.peek() === 0x6e) return cursor.null();
      if (holds === 'text') return cursor.string();
      if (cursor.peek() !== 0x7b) return false;
      return holds === 'ids' ? customIds() : cursor.value();
    };
    return cursor.object(member) && cursor.atEnd() && usable;
  };
}
