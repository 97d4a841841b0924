/** A string column value whose bytes are not UTF-8: kept (lossily decoded) so the report can show and locate it. */
export class InvalidUtf8 {
  constructor(public readonly text: string) {}
}

const strict = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8');

/** hyparquet's default decoder silently replaces bad bytes with U+FFFD; Statsig's reader fails on them instead. */
export function decodeUtf8(bytes: Uint8Array | undefined): string | InvalidUtf8 | undefined {
  if (!bytes) return bytes;
  try {
    return strict.decode(bytes);
  } catch {
    return new InvalidUtf8(lenient.decode(bytes));
  }
}
