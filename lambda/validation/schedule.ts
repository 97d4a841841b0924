/**
 * Runs `run` over the items, at most `window` at a time, and hands each result to `fold` in the items' order, so
 * that file-wide rules see rows in order. Only the window's results are held: a folded result (a row group's key
 * hashes) must not stay reachable. The first failure, in item order, rejects.
 */
export async function runInOrder<U, R>(
  items: Iterator<U>,
  window: number,
  run: (item: U) => Promise<R>,
  fold: (item: U, result: R) => void,
): Promise<void> {
  const inFlight: { item: U; result: Promise<R> }[] = [];
  const startNext = () => {
    const next = items.next();
    if (next.done) return;
    const result = run(next.value);
    // Results are awaited in order; a later item failing first must not count as an unhandled rejection.
    result.catch(() => undefined);
    inFlight.push({ item: next.value, result });
  };
  for (let i = 0; i < window; i++) startNext();
  while (inFlight.length) {
    const { item, result } = inFlight.shift()!;
    const done = await result;
    startNext();
    fold(item, done);
  }
}
