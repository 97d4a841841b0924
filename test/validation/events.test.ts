import { closeDuckDb } from '../support/duckdb-parquet';
import {
  EPOCH_SECONDS,
  EVENT,
  expectClean,
  expectFinding,
  fixtureChecks,
  NOW_MS,
  type Row,
  rowsWith,
  selectRows,
  sqlString,
  without,
} from './support';

const { check } = fixtureChecks();

/** Spec §2. Each case puts its one bad value at row 2 of 4, so the row index in the finding is checked, not assumed. */
const BAD_ROW = 2;
const events = (bad: Row, options: Parameters<typeof check>[2] = {}) =>
  check('events', selectRows(rowsWith(EVENT, 4, BAD_ROW, bad)), options);
/** Column types are per file, and UNION ALL unifies them: a type under test goes into every row. */
const everyRow = (change: Row, options: Parameters<typeof check>[2] = {}) =>
  check('events', selectRows(rowsWith({ ...EVENT, ...change }, 4, -1, {})), options);

afterAll(async () => {
  await closeDuckDb();
});

describe('events.timestamp', () => {
  it.each([
    ['INT64 epoch seconds', `${EPOCH_SECONDS}::BIGINT`],
    ['INT32 epoch seconds', `${EPOCH_SECONDS}::INTEGER`],
    ['TIMESTAMP (micros)', `TIMESTAMP '2024-01-09 10:00:00'`],
    ['TIMESTAMPTZ', `TIMESTAMPTZ '2024-01-09 10:00:00+00'`],
    ['TIMESTAMP_MS', `TIMESTAMP_MS '2024-01-09 10:00:00'`],
    ['2000-01-01T00:00:00Z, the earliest allowed second', `946684800::BIGINT`],
    ['now + 1 day exactly', `${(NOW_MS + 86_400_000) / 1000}::BIGINT`],
  ])('accepts %s', async (_label, timestamp) => {
    expectClean(await everyRow({ timestamp }), 'events.timestamp.range', 'schema.wrong-type');
  });

  it('rejects TIMESTAMP(NANOS), which Spark 3.2+ cannot read, with the microseconds hint', async () => {
    const finding = expectFinding(await everyRow({ timestamp: `TIMESTAMP_NS '2024-01-09 10:00:00'` }), {
      rule: 'schema.wrong-type',
      column: 'timestamp',
    });
    expect(finding.problem).toMatch(/NANOS/);
    expect(finding.hint).toMatch(/microseconds/);
    expect(finding.hint).toContain("coerce_timestamps='us'");
  });

  it('warns once, with the count and the first row, about events outside the folder day in UTC−8', async () => {
    // The folder day 2024-01-09 runs from 08:00Z to 08:00Z the next day: 07:59:59Z belongs to the day before.
    const inside = `${Date.UTC(2024, 0, 9, 8) / 1000}::BIGINT`;
    const before = `${Date.UTC(2024, 0, 9, 8) / 1000 - 1}::BIGINT`;
    const after = `${Date.UTC(2024, 0, 10, 8) / 1000}::BIGINT`;
    const rows = [inside, before, inside, after, before].map((timestamp) => ({ ...EVENT, timestamp }));
    const report = await check('events', selectRows(rows));
    const finding = expectFinding(report, {
      rule: 'events.timestamp.outside-day',
      column: 'timestamp',
      row: 1,
      severity: 'warning',
    });
    expect(finding.problem).toMatch(/^3 rows \(the first at row index 1\)/);
    expect(finding.problem).toContain('2024-01-09T08:00:00.000Z to 2024-01-10T08:00:00.000Z');
    expect(report.counts).toContainEqual({ rule: 'events.timestamp.outside-day', severity: 'warning', count: 1 });
    expect(report.valid).toBe(true);
  });

  it('reads TIMESTAMP columns against the folder day too', async () => {
    const rows = rowsWith({ ...EVENT, timestamp: `TIMESTAMP '2024-01-09 10:00:00'` }, 4, BAD_ROW, {
      timestamp: `TIMESTAMP '2024-01-09 07:00:00'`,
    });
    expectFinding(await check('events', selectRows(rows)), {
      rule: 'events.timestamp.outside-day',
      row: BAD_ROW,
      severity: 'warning',
    });
    expectClean(await everyRow({ timestamp: `TIMESTAMP '2024-01-09 10:00:00'` }), 'events.timestamp.outside-day');
  });

  it('accepts epoch milliseconds when the unit option says milliseconds', async () => {
    expectClean(
      await everyRow({ timestamp: `${EPOCH_SECONDS * 1000}::BIGINT` }, { timestampUnit: 'milliseconds' }),
      'events.timestamp.range',
    );
  });

  it('rejects milliseconds read as seconds, and the hint suggests milliseconds', async () => {
    const report = await events({ timestamp: `${EPOCH_SECONDS * 1000}::BIGINT` });
    const finding = expectFinding(report, { rule: 'events.timestamp.range', column: 'timestamp', row: BAD_ROW });
    expect(finding.hint).toMatch(/milliseconds/);
    expect(finding.hint).toContain("the construct's timestampUnit");
    // The number itself, what it is in the configured unit, and the instant it would be in the other one.
    expect(finding.problem).toContain(`${EPOCH_SECONDS * 1000}`);
    expect(finding.problem).toContain('in the year 55992');
    expect(finding.problem).toContain('as epoch milliseconds 2024-01-09T11:33:20.000Z');
    expect(finding.problem).not.toMatch(/\+0\d{5}/);
    expect(report.counts).toContainEqual({ rule: 'events.timestamp.range', severity: 'error', count: 1 });
  });

  it('names the setting its caller gave for the unit (the CLI its flag)', async () => {
    const report = await events(
      { timestamp: `${EPOCH_SECONDS * 1000}::BIGINT` },
      { timestampUnitSetting: '--timestamp-unit' },
    );
    const finding = expectFinding(report, { rule: 'events.timestamp.range', row: BAD_ROW });
    expect(finding.hint).toContain('set --timestamp-unit to milliseconds');
    expect(finding.hint).not.toContain('construct');
  });

  it('rejects seconds read as milliseconds, and the hint suggests seconds', async () => {
    const report = await events({ timestamp: `${EPOCH_SECONDS}::BIGINT` }, { timestampUnit: 'milliseconds' });
    // Every row holds seconds here, so every row is out of range in milliseconds.
    const finding = expectFinding(report, { rule: 'events.timestamp.range', column: 'timestamp', row: BAD_ROW });
    expect(finding.hint).toMatch(/seconds/);
    expect(report.counts).toContainEqual({ rule: 'events.timestamp.range', severity: 'error', count: 4 });
  });

  it.each([
    ['one second before 2000-01-01', `946684799::BIGINT`],
    ['more than a day after now', `${(NOW_MS + 86_400_000) / 1000 + 1}::BIGINT`],
    ['zero', `0::BIGINT`],
    ['negative', `(-5)::BIGINT`],
  ])('rejects %s, without suggesting a unit that would not fit either', async (_label, timestamp) => {
    const finding = expectFinding(await events({ timestamp }), {
      rule: 'events.timestamp.range',
      column: 'timestamp',
      row: BAD_ROW,
    });
    expect(finding.hint).not.toMatch(/fits as epoch/);
  });

  it.each([
    ['before 2000', `TIMESTAMP '1999-06-01 00:00:00'`],
    ['a week ahead', `TIMESTAMP '2024-01-17 00:00:00'`],
    ['TIMESTAMPTZ a week ahead', `TIMESTAMPTZ '2024-01-17 00:00:00+00'`],
  ])('rejects a TIMESTAMP %s', async (_label, bad) => {
    const rows = rowsWith({ ...EVENT, timestamp: `TIMESTAMP '2024-01-09 10:00:00'` }, 4, BAD_ROW, { timestamp: bad });
    expectFinding(await check('events', selectRows(rows)), {
      rule: 'events.timestamp.range',
      column: 'timestamp',
      row: BAD_ROW,
    });
  });

  it('rejects a null timestamp', async () => {
    expectFinding(await events({ timestamp: `NULL::BIGINT` }), {
      rule: 'value.null',
      column: 'timestamp',
      row: BAD_ROW,
    });
  });

  it.each([
    ['DOUBLE', `${EPOCH_SECONDS}::DOUBLE`],
    ['VARCHAR', `'${EPOCH_SECONDS}'`],
    ['DATE', `DATE '2024-01-09'`],
  ])('rejects a %s timestamp column as the wrong type', async (_label, timestamp) => {
    expectFinding(await everyRow({ timestamp }), { rule: 'schema.wrong-type', column: 'timestamp' });
  });

  it('requires the column', async () => {
    expectFinding(await check('events', selectRows([without(EVENT, 'timestamp')])), {
      rule: 'schema.missing-column',
      column: 'timestamp',
    });
  });
});

describe('events.event_name', () => {
  it.each([
    ['1 character', `'a'`],
    ['127 characters', `repeat('a', 127)`],
    // Spec: characters, not UTF-16 code units or bytes.
    ['127 multi-byte characters', `repeat('é', 127)`],
    ['127 characters outside the BMP', `repeat('😀', 127)`],
  ])('accepts %s', async (_label, event_name) => {
    expectClean(await events({ event_name }), 'events.event_name.length');
  });

  it.each([
    ['empty', `''`],
    ['128 characters', `repeat('a', 128)`],
    ['128 multi-byte characters', `repeat('é', 128)`],
  ])('rejects %s', async (_label, event_name) => {
    expectFinding(await events({ event_name }), {
      rule: 'events.event_name.length',
      column: 'event_name',
      row: BAD_ROW,
    });
  });

  it('warns about a space but keeps the file valid', async () => {
    const report = await events({ event_name: `'add to cart'` });
    expectFinding(report, { rule: 'events.event_name.space', column: 'event_name', row: BAD_ROW, severity: 'warning' });
    expect(report.valid).toBe(true);
  });

  it('rejects null', async () => {
    expectFinding(await events({ event_name: `NULL::VARCHAR` }), {
      rule: 'value.null',
      column: 'event_name',
      row: BAD_ROW,
    });
  });

  it('rejects a non-string column', async () => {
    expectFinding(await everyRow({ event_name: `42` }), { rule: 'schema.wrong-type', column: 'event_name' });
  });
});

describe('events.user', () => {
  it.each([
    ['a userID', '{"userID":"u1"}'],
    ['customIDs only', '{"customIDs":{"companyID":"c1"}}'],
    ['an empty userID but a customID', '{"userID":"","customIDs":{"stableID":"s1"}}'],
    // to_json keeps null members (DuckDB, Spark): null is absent, not wrong.
    ['a null email beside the userID', '{"userID":"u1","email":null}'],
    ['a null customIDs entry beside another', '{"customIDs":{"companyID":"c1","stableID":null}}'],
    ['a null userID beside a customID', '{"userID":null,"customIDs":{"companyID":"c1"}}'],
    ['null custom and customIDs', '{"userID":"u1","custom":null,"customIDs":null}'],
    [
      'every key Statsig knows',
      '{"userID":"u1","email":"a@b.c","ip":"1.2.3.4","userAgent":"x","country":"US","locale":"en_US","appVersion":"1.0","systemName":"iOS","systemVersion":"17.1","browserName":"Safari","browserVersion":"17","custom":{"tier":"gold"},"privateAttributes":{"p":1}}',
    ],
  ])('accepts %s', async (_label, user) => {
    expectClean(await events({ user: sqlString(user) }));
  });

  it.each([
    ['not JSON', 'u1', 'events.user.invalid'],
    ['a JSON array', '[{"userID":"u1"}]', 'events.user.invalid'],
    ['a JSON string', '"u1"', 'events.user.invalid'],
    ['JSON null', 'null', 'events.user.invalid'],
    ['an object with no IDs', '{"email":"a@b.c"}', 'events.user.id-missing'],
    ['only null IDs', '{"userID":null,"customIDs":{"companyID":null}}', 'events.user.id-missing'],
    ['an empty userID', '{"userID":""}', 'events.user.id-empty'],
    ['customIDs holding only empty strings', '{"customIDs":{"companyID":""}}', 'events.user.id-empty'],
    ['a boolean userID', '{"userID":true}', 'events.user.id-type'],
    ['an object as a customIDs value', '{"customIDs":{"companyID":{"id":"c1"}}}', 'events.user.id-type'],
    ['customIDs that is a string', '{"customIDs":"c1"}', 'events.user.custom-ids-type'],
    ['an email that is a number', '{"userID":"u1","email":3}', 'events.user.key-type'],
    ['custom that is a string', '{"userID":"u1","custom":"gold"}', 'events.user.key-type'],
  ])('rejects %s', async (_label, user, rule) => {
    expectFinding(await events({ user: sqlString(user) }), { rule, column: 'user', row: BAD_ROW });
  });

  it.each([
    ['a numeric userID', '{"userID":123}'],
    ['a numeric customIDs value', '{"customIDs":{"companyID":42}}'],
  ])('warns about %s (Statsig reads it as text), and the file stays valid', async (_label, user) => {
    const report = await events({ user: sqlString(user) });
    const finding = expectFinding(report, {
      rule: 'events.user.id-number',
      column: 'user',
      row: BAD_ROW,
      severity: 'warning',
    });
    expect(finding.hint).toMatch(/strings/);
    expect(report.valid).toBe(true);
    expect(report.counts.map((count) => count.rule)).not.toContain('events.user.id-missing');
  });

  it('rejects a top-level stableID as the only ID, with the customIDs hint', async () => {
    const finding = expectFinding(await events({ user: sqlString('{"stableID":"s1"}') }), {
      rule: 'events.user.stable-id-only',
      column: 'user',
      row: BAD_ROW,
    });
    expect(finding.hint).toContain('{"customIDs":{"stableID":"…"}}');
  });

  it('warns about a top-level stableID beside another ID', async () => {
    for (const user of ['{"userID":"u1","stableID":"s1"}', '{"customIDs":{"companyID":"c1"},"stableID":"s1"}']) {
      const report = await events({ user: sqlString(user) });
      expectFinding(report, {
        rule: 'events.user.stable-id-top-level',
        column: 'user',
        row: BAD_ROW,
        severity: 'warning',
      });
      expect(report.valid).toBe(true);
    }
  });

  it.each([
    ['userId', '{"userId":"u1"}', /"userID"/],
    ['userid', '{"userid":"u1"}', /"userID"/],
    ['customIds', '{"customIds":{"companyID":"c1"}}', /"customIDs"/],
    ['stableId', '{"stableId":"s1"}', /"customIDs": \{"stableID"/],
  ])('rejects the mis-cased key %s with a "did you mean" hint', async (_key, user, meant) => {
    const report = await events({ user: sqlString(user) });
    const finding = expectFinding(report, {
      rule: 'events.user.key-case',
      column: 'user',
      row: BAD_ROW,
    });
    expect(finding.hint).toMatch(/did you mean/i);
    expect(finding.hint).toMatch(meant);
    expect(report.counts.map((count) => count.rule)).not.toContain('events.user.id-missing');
  });

  it('rejects a STRUCT user with a to_json hint', async () => {
    const finding = expectFinding(await events({ user: `{'userID': 'u1'}` }), {
      rule: 'schema.nested-column',
      column: 'user',
    });
    expect(finding.hint).toMatch(/to_json/);
  });

  it('rejects null', async () => {
    expectFinding(await events({ user: `NULL::VARCHAR` }), { rule: 'value.null', column: 'user', row: BAD_ROW });
  });

  it('requires the column', async () => {
    expectFinding(await check('events', selectRows([without(EVENT, 'user')])), {
      rule: 'schema.missing-column',
      column: 'user',
    });
  });
});

describe('events.event_value', () => {
  it.each([
    ['127 characters', `repeat('v', 127)`],
    ['null', `NULL::VARCHAR`],
  ])('accepts %s', async (_label, event_value) => {
    expectClean(await events({ event_value }), 'events.event_value.length');
  });

  it.each([
    ['INT32', `3::INTEGER`],
    ['INT64', `3::BIGINT`],
    ['FLOAT', `3.5::FLOAT`],
    ['DOUBLE', `3.5::DOUBLE`],
    ['DECIMAL', `3.50::DECIMAL(10, 2)`],
  ])('accepts a %s column: Statsig converts numbers', async (_label, event_value) => {
    expectClean(await everyRow({ event_value }), 'schema.wrong-type', 'events.event_value.length');
  });

  it('rejects a BOOLEAN column', async () => {
    expectFinding(await everyRow({ event_value: `true` }), { rule: 'schema.wrong-type', column: 'event_value' });
  });

  it.each([
    ['STRUCT', `{'v': 3}`],
    ['LIST', `[3]`],
  ])('rejects a %s column', async (_label, event_value) => {
    expectFinding(await everyRow({ event_value }), { rule: 'schema.nested-column', column: 'event_value' });
  });

  it('is optional', async () => {
    expectClean(
      await check('events', selectRows([without(EVENT, 'event_value')])),
      'schema.missing-column',
      'schema.recommended-column',
    );
  });

  it('warns over 127 characters, and the file stays valid', async () => {
    const report = await events({ event_value: `repeat('v', 128)` });
    expectFinding(report, {
      rule: 'events.event_value.length',
      column: 'event_value',
      row: BAD_ROW,
      severity: 'warning',
    });
    expect(report.valid).toBe(true);
  });
});

describe('events.event_metadata', () => {
  it.each([
    ['an object of strings', sqlString('{"plan":"pro","seats":"3"}')],
    ['an empty object', sqlString('{}')],
    ['null', `NULL::VARCHAR`],
  ])('accepts %s', async (_label, event_metadata) => {
    expectClean(await events({ event_metadata }), 'events.event_metadata.json', 'events.event_metadata.value-type');
  });

  it.each([
    ['invalid JSON', '{plan: pro}'],
    ['a JSON array', '["pro"]'],
    ['a JSON string', '"pro"'],
    ['a JSON number', '3'],
  ])('rejects %s', async (_label, metadata) => {
    expectFinding(await events({ event_metadata: sqlString(metadata) }), {
      rule: 'events.event_metadata.json',
      column: 'event_metadata',
      row: BAD_ROW,
    });
  });

  it('warns about a non-string value, and the file stays valid', async () => {
    const report = await events({ event_metadata: sqlString('{"seats":3}') });
    expectFinding(report, {
      rule: 'events.event_metadata.value-type',
      column: 'event_metadata',
      row: BAD_ROW,
      severity: 'warning',
    });
    expect(report.valid).toBe(true);
  });
});

describe('events.timeuuid', () => {
  it.each([
    ['a UUID string', `'123e4567-e89b-12d3-a456-426614174000'`],
    ['an upper-case UUID string', `'123E4567-E89B-12D3-A456-426614174000'`],
    ["DuckDB's uuid() cast to a string", `uuid()::VARCHAR`],
    ['null', `NULL::VARCHAR`],
  ])('accepts %s', async (_label, timeuuid) => {
    expectClean(await everyRow({ timeuuid }), 'events.timeuuid.invalid', 'schema.wrong-type');
  });

  it("rejects the parquet UUID type (DuckDB's uuid()): Spark cannot read it", async () => {
    const finding = expectFinding(await everyRow({ timeuuid: `uuid()` }), {
      rule: 'schema.wrong-type',
      column: 'timeuuid',
    });
    expect(finding.hint).toContain('cast(timeuuid as varchar)');
    expect(finding.hint).toContain('uuid()::varchar');
  });

  it.each([
    ['not a UUID', `'not-a-uuid'`],
    ['a UUID missing a digit', `'123e4567-e89b-12d3-a456-42661417400'`],
  ])('warns about %s: a unique string still de-duplicates', async (_label, timeuuid) => {
    const report = await events({ timeuuid });
    expectFinding(report, { rule: 'events.timeuuid.invalid', column: 'timeuuid', row: BAD_ROW, severity: 'warning' });
    expect(report.valid).toBe(true);
  });

  it('warns when the column is absent (Statsig cannot de-duplicate), and the file stays valid', async () => {
    const report = await check('events', selectRows([without(EVENT, 'timeuuid')]));
    const finding = expectFinding(report, {
      rule: 'schema.recommended-column',
      column: 'timeuuid',
      severity: 'warning',
    });
    expect(finding.hint).toContain('uuid()::varchar');
    expect(report.valid).toBe(true);
  });
});

describe('events: other columns', () => {
  it('warns about an extra column, and the file stays valid', async () => {
    const report = await check('events', selectRows([{ ...EVENT, country: `'US'` }]));
    expectFinding(report, { rule: 'schema.unknown-column', column: 'country', severity: 'warning' });
    expect(report.valid).toBe(true);
  });

  it('rejects a mis-cased column name', async () => {
    const { event_name, ...rest } = EVENT;
    const report = await check('events', selectRows([{ ...rest, Event_Name: event_name }]));
    expectFinding(report, { rule: 'schema.column-case', column: 'Event_Name' });
  });

  it('accepts the minimal file: only the required columns plus timeuuid', async () => {
    expectClean(await check('events', selectRows([without(EVENT, 'event_value', 'event_metadata')])));
  });
});
