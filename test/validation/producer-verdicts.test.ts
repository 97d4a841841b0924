import type nodePolars from 'nodejs-polars';
import { writeSparkEvents } from '../support/int96-writer';
import { writeArrowRs, writePolars } from '../support/producer-writers';
import { DAY, EPOCH_SECONDS, expectClean, expectFinding, fixtureChecks } from './support';

/**
 * Issue 11, item 5: the Decisions of spec §2 judged on files from writers producers use besides DuckDB — Polars,
 * arrow-rs (parquet-wasm) and Spark's INT96 layout — each with a passing and a failing file.
 */
type Polars = typeof nodePolars;

const { validateBytes } = fixtureChecks();
const MS = EPOCH_SECONDS * 1000;
const UUID = '123e4567-e89b-12d3-a456-426614174000';

const polarsEvents = (columns: Record<string, (pl: Polars) => unknown>) =>
  writePolars((pl) =>
    pl.DataFrame([
      pl.Series('timestamp', [EPOCH_SECONDS, EPOCH_SECONDS], pl.Int64),
      pl.Series('event_name', ['click', 'click']),
      ...Object.entries(columns).map(([name, series]) => (series(pl) as ReturnType<typeof pl.Series>).rename(name)),
    ]),
  );

describe('Polars', () => {
  it('a user with null members is valid; a top-level stableID alone is not', async () => {
    const good = polarsEvents({
      user: (pl) => pl.Series(['{"userID":"u1","email":null}', '{"customIDs":{"c":"1","stableID":null}}']),
      timeuuid: (pl) => pl.Series([UUID, UUID]),
    });
    expectClean(await validateBytes('events', good));
    const bad = polarsEvents({
      user: (pl) => pl.Series(['{"userID":"u1"}', '{"stableID":"s1"}']),
      timeuuid: (pl) => pl.Series([UUID, UUID]),
    });
    expectFinding(await validateBytes('events', bad), { rule: 'events.user.stable-id-only', row: 1 });
  });

  it('a numeric userID only warns; a mis-cased userId is an error', async () => {
    const warned = await validateBytes(
      'events',
      polarsEvents({
        user: (pl) => pl.Series(['{"userID":1}', '{"userID":"u2"}']),
        timeuuid: (pl) => pl.Series([UUID, UUID]),
      }),
    );
    expectFinding(warned, { rule: 'events.user.id-number', row: 0, severity: 'warning' });
    const bad = await validateBytes(
      'events',
      polarsEvents({
        user: (pl) => pl.Series(['{"userId":"u1"}', '{"userID":"u2"}']),
        timeuuid: (pl) => pl.Series([UUID, UUID]),
      }),
    );
    expectFinding(bad, { rule: 'events.user.key-case', row: 0 });
  });

  it('event_value as Float64 is valid, as Boolean it is not; a non-UUID timeuuid only warns', async () => {
    const user = (pl: Polars) => pl.Series(['{"userID":"u1"}', '{"userID":"u2"}']);
    const numbers = polarsEvents({
      user,
      event_value: (pl) => pl.Series('event_value', [1.5, 2], pl.Float64),
      timeuuid: (pl) => pl.Series(['a', 'b']),
    });
    const report = await validateBytes('events', numbers);
    expectClean(report, 'schema.wrong-type');
    expectFinding(report, { rule: 'events.timeuuid.invalid', row: 0, severity: 'warning' });
    const booleans = polarsEvents({
      user,
      event_value: (pl) => pl.Series([true, false]),
      timeuuid: (pl) => pl.Series([UUID, UUID]),
    });
    expectFinding(await validateBytes('events', booleans), { rule: 'schema.wrong-type', column: 'event_value' });
  });
});

describe('arrow-rs', () => {
  const table = (unit: 'ns' | 'us') =>
    writeArrowRs((arrow) => {
      const type = unit === 'ns' ? new arrow.TimestampNanosecond() : new arrow.TimestampMicrosecond();
      return new arrow.Table({
        // arrow-js takes epoch milliseconds and scales them to the type's unit.
        timestamp: arrow.vectorFromArray([MS], type),
        event_name: arrow.vectorFromArray(['click']),
        user: arrow.vectorFromArray(['{"userID":"u1","country":null}']),
        timeuuid: arrow.vectorFromArray([UUID]),
      });
    });

  it('TIMESTAMP(MICROS) is valid; TIMESTAMP(NANOS) is an error with the microseconds hint', async () => {
    expectClean(await validateBytes('events', table('us')));
    const finding = expectFinding(await validateBytes('events', table('ns')), {
      rule: 'schema.wrong-type',
      column: 'timestamp',
    });
    expect(finding.hint).toMatch(/microseconds/);
  });
});

describe("Spark's INT96", () => {
  const spark = (epochMs: number[]) => writeSparkEvents(epochMs, UUID);

  it("is valid inside the folder's day; outside it one warning, before 2000 an error", async () => {
    expectClean(await validateBytes('events', spark([MS, MS + 1])), 'events.timestamp.outside-day');
    const outside = await validateBytes('events', spark([MS, Date.parse(`${DAY}T07:00:00Z`)]));
    expectFinding(outside, { rule: 'events.timestamp.outside-day', row: 1, severity: 'warning' });
    expect(outside.valid).toBe(true);
    expectFinding(await validateBytes('events', spark([MS, Date.UTC(1999, 0, 1)])), {
      rule: 'events.timestamp.range',
      row: 1,
    });
  });
});
