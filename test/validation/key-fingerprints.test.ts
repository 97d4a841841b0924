import { FingerprintSet } from '../../lambda/validation/key-fingerprints';

/** A seeded stream of 32-bit values (mulberry32): the hashes of distinct keys. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}

describe('the duplicate-key fingerprint set', () => {
  it('finds every repeated key and no others, up to the rows it was sized for', () => {
    const rows = 100_000;
    const set = new FingerprintSet(rows);
    const next = seeded(7);
    const keys = Array.from({ length: rows / 2 }, () => [next(), next() || 1] as const);
    const answers = [...keys, ...keys].map(([slot, fingerprint]) => set.add(slot, fingerprint));
    expect(answers.slice(0, rows / 2).every((answer) => answer === false)).toBe(true);
    expect(answers.slice(rows / 2).every((answer) => answer === true)).toBe(true);
  });

  it('says when it is full instead of growing, and still finds keys it holds', () => {
    const set = new FingerprintSet(3000);
    const next = seeded(11);
    const first = [next(), next() || 1] as const;
    const answers: (boolean | undefined)[] = [set.add(...first)];
    while (answers.length < 5000 && answers[answers.length - 1] !== undefined)
      answers.push(set.add(next(), next() || 1));
    expect(answers.filter((answer) => answer === false)).toHaveLength(3000);
    expect(answers[answers.length - 1]).toBeUndefined();
    expect(set.add(...first)).toBe(true);
  });
});
