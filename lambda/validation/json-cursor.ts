/** Nesting deeper than this is left to JSON.parse: the cursor recurses. */
const MAX_DEPTH = 64;

const isDigit = (code: number) => code >= 0x30 && code <= 0x39;
const isHex = (code: number) =>
  (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x46) || (code >= 0x61 && code <= 0x66);
/** The characters JSON allows after a backslash, besides `u`: " \ / b f n r t. */
const SHORT_ESCAPES = new Set([0x22, 0x5c, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74]);

/**
 * Reads a JSON text in place, one character at a time, building no values: the fast path of the JSON checks, which
 * would otherwise parse every value into objects. Each step answers false on anything that is not valid JSON (or
 * nests deeper than it follows), and the caller then leaves the value to JSON.parse and the full check, which word
 * the message: the cursor only ever confirms, it never judges.
 */
export class JsonCursor {
  text = '';
  at = 0;
  /** The raw content of the last string read, between its quotes. */
  start = 0;
  end = 0;
  /** Whether the last string read holds an escape, so that its raw content is not its value. */
  escaped = false;

  /** Starts over on another text: one cursor serves a column's values. */
  reset(text: string): this {
    this.text = text;
    this.at = 0;
    return this;
  }

  /** Whether the last string read is `key` exactly (and has no escape, so that its raw text is its value). */
  keyIs(key: string): boolean {
    return !this.escaped && this.end - this.start === key.length && this.text.startsWith(key, this.start);
  }

  /** Skips whitespace and returns the next character's code: NaN at the end. */
  peek(): number {
    const text = this.text;
    let code = text.charCodeAt(this.at);
    while (code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09) code = text.charCodeAt(++this.at);
    return code;
  }

  /** Whether only whitespace is left. */
  atEnd(): boolean {
    return Number.isNaN(this.peek());
  }

  /** Reads the string whose opening quote is next. */
  string(): boolean {
    if (this.peek() !== 0x22) return false;
    const text = this.text;
    let i = this.at + 1;
    this.start = i;
    this.escaped = false;
    for (;;) {
      const code = text.charCodeAt(i);
      if (code === 0x22) {
        this.end = i;
        this.at = i + 1;
        return true;
      }
      if (code === 0x5c) {
        this.escaped = true;
        const next = text.charCodeAt(i + 1);
        if (next === 0x75) {
          for (let k = 2; k < 6; k++) if (!isHex(text.charCodeAt(i + k))) return false;
          i += 6;
        } else if (SHORT_ESCAPES.has(next)) i += 2;
        else return false;
      } else if (code >= 0x20) i += 1;
      // A control character, or the text ended inside the string.
      else return false;
    }
  }

  /** Reads `null`, which is next. */
  null(): boolean {
    return this.literal('null');
  }

  /**
   * Reads the object whose brace is next, calling `member` after each key (`start`, `end` and `escaped` describe
   * it) to read that member's value.
   */
  object(member: () => boolean): boolean {
    if (this.peek() !== 0x7b) return false;
    this.at += 1;
    if (this.peek() === 0x7d) {
      this.at += 1;
      return true;
    }
    for (;;) {
      if (!this.string() || this.peek() !== 0x3a) return false;
      this.at += 1;
      if (!member()) return false;
      const next = this.peek();
      this.at += 1;
      if (next === 0x7d) return true;
      if (next !== 0x2c) return false;
    }
  }

  /** Reads any value. */
  value(depth = 0): boolean {
    const code = this.peek();
    if (code === 0x22) return this.string();
    if (depth >= MAX_DEPTH) return false;
    if (code === 0x7b) return this.object(() => this.value(depth + 1));
    if (code === 0x5b) return this.array(depth + 1);
    if (code === 0x74) return this.literal('true');
    if (code === 0x66) return this.literal('false');
    if (code === 0x6e) return this.null();
    return this.number();
  }

  private array(depth: number): boolean {
    this.at += 1;
    if (this.peek() === 0x5d) {
      this.at += 1;
      return true;
    }
    for (;;) {
      if (!this.value(depth)) return false;
      const next = this.peek();
      this.at += 1;
      if (next === 0x5d) return true;
      if (next !== 0x2c) return false;
    }
  }

  private literal(word: string): boolean {
    if (!this.text.startsWith(word, this.at)) return false;
    this.at += word.length;
    return true;
  }

  /** JSON's number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
  private number(): boolean {
    const text = this.text;
    let i = this.at;
    if (text.charCodeAt(i) === 0x2d) i += 1;
    const first = text.charCodeAt(i);
    if (first === 0x30) i += 1;
    else if (first >= 0x31 && first <= 0x39) while (isDigit(text.charCodeAt(i))) i += 1;
    else return false;
    if (text.charCodeAt(i) === 0x2e) {
      i += 1;
      if (!isDigit(text.charCodeAt(i))) return false;
      while (isDigit(text.charCodeAt(i))) i += 1;
    }
    const exponent = text.charCodeAt(i);
    if (exponent === 0x65 || exponent === 0x45) {
      i += 1;
      const sign = text.charCodeAt(i);
      if (sign === 0x2b || sign === 0x2d) i += 1;
      if (!isDigit(text.charCodeAt(i))) return false;
      while (isDigit(text.charCodeAt(i))) i += 1;
    }
    this.at = i;
    return true;
  }
}

const metadataCursor = new JsonCursor();
const stringMember = () => metadataCursor.string();

/** Whether `text` is certainly a JSON object whose every value is a string (`event_metadata`'s shape). */
export function isStringObject(text: string): boolean {
  return metadataCursor.reset(text).object(stringMember) && metadataCursor.atEnd();
}
