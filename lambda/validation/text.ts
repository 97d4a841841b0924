const MAX_VALUE_CHARS = 80;

/** A value as a report shows it: printable (NaN and Infinity as themselves), and short enough for an alert. */
export function showValue(value: unknown): string {
  const text =
    typeof value === 'string'
      ? value
      : typeof value === 'bigint' || (typeof value === 'number' && !Number.isFinite(value))
        ? String(value)
        : (JSON.stringify(value) ?? String(value));
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}…` : text;
}

/** Levenshtein distance, bounded: returns `limit + 1` as soon as the distance must exceed `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      rowMin = Math.min(rowMin, current[j]);
    }
    if (rowMin > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length];
}

/** The candidate a typo most likely meant: same letters ignoring case, `_` and `-`, or within two edits. */
export function nearMiss(value: string, candidates: readonly string[]): string | undefined {
  const fold = (text: string) => text.toLowerCase().replace(/[_-]/g, '');
  const folded = fold(value);
  const sameLetters = candidates.find((candidate) => fold(candidate) === folded);
  if (sameLetters) return sameLetters;
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const distance = editDistance(value.toLowerCase(), candidate.toLowerCase(), 2);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}
