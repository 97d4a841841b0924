import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCli } from '../../bin/cli/main';
import { suiteDecoder } from '../support/decoder';
import { closeDuckDb, writeParquet } from '../support/duckdb-parquet';
import { writeSparkEvents } from '../support/int96-writer';
import { sink } from '../support/output-sink';
import { writeArrowRs, writePolars } from '../support/producer-writers';
import { startWorld, type World } from '../handler/world';

/**
 * Issue 11: `statsig-s3 validate <mirror>` and the Lambda agree, object for object, on a mirror of a bucket holding
 * what Spark, Glue, Redshift and Athena write, valid and invalid files among them, each from the writer whose layout
 * it is.
 */

type Verdict = 'valid' | 'quarantined' | `ignored: ${string}`;

const UUID = '3f1d2c4b-8a9e-4f60-b7d1-0c2e5a6b7c8d';
const MAY_1 = Date.UTC(2024, 4, 1, 12);
const MAY_2 = Date.UTC(2024, 4, 2, 12);

const spark = (epochMs: number[]) => writeSparkEvents(epochMs, UUID);

/** Glue jobs on Spark 3 with a Polars-shaped frame: metrics whose `date` is the folder's day, or not. */
const glue = (date: string, idType = 'user_id') =>
  writePolars((pl) =>
    pl.DataFrame([
      pl.Series('unit_id', ['u1', 'u2']),
      pl.Series('id_type', [idType, idType]),
      pl.Series('date', [new Date(`${date}T00:00:00Z`), new Date(`${date}T00:00:00Z`)], pl.Date),
      pl.Series('metric_name', ['revenue', 'revenue']),
      pl.Series('metric_value', [1.5, 2.5], pl.Float64),
      pl.Series('numerator', [null, null], pl.Float64),
      pl.Series('denominator', [null, null], pl.Float64),
    ]),
  );

const redshift = (date: string) =>
  writeParquet(
    `SELECT 'u' || range AS unit_id, 'user_id' AS id_type, DATE '${date}' AS date, 'revenue' AS metric_name,
            range::DOUBLE AS metric_value, NULL::DOUBLE AS numerator, NULL::DOUBLE AS denominator FROM range(5)`,
  );

/** Athena's engine (Trino) writes through arrow-like writers; arrow-rs stands in, UUID type vs. string. */
const athena = (uuidType: boolean) =>
  writeArrowRs((arrow) => {
    const timeuuid = uuidType
      ? arrow.vectorFromArray([new Uint8Array(16), new Uint8Array(16)], new arrow.FixedSizeBinary(16))
      : arrow.vectorFromArray([UUID, UUID], new arrow.Utf8());
    return new arrow.Table({
      timestamp: arrow.vectorFromArray([BigInt(MAY_2 / 1000), BigInt(MAY_2 / 1000 + 1)], new arrow.Int64()),
      event_name: arrow.vectorFromArray(['click', 'click'], new arrow.Utf8()),
      user: arrow.vectorFromArray(['{"userID":"u1"}', '{"customIDs":{"company_id":"c1"}}'], new arrow.Utf8()),
      timeuuid,
    });
  });

async function mirrorObjects(): Promise<Record<string, Uint8Array | string>> {
  const sparkDay = 'events/2024-05-01';
  const part = (n: number) => `part-0000${n}-${UUID}-c000.snappy.parquet`;
  return {
    [`${sparkDay}/${part(0)}`]: spark([MAY_1, MAY_1 + 1]),
    [`${sparkDay}/${part(1)}`]: spark([MAY_1, Date.UTC(1999, 0, 1)]),
    [`${sparkDay}/.${part(0)}.crc`]: 'crc',
    [`${sparkDay}/_temporary/0/_temporary/attempt_202405011200_0001_m_000002_2/${part(2)}`]: spark([MAY_1]),
    [`${sparkDay}/_SUCCESS`]: '',
    'metrics/2024-05-01/run-1714564800000-part-r-00000': glue('2024-05-01'),
    'metrics/2024-05-01/run-1714564800000-part-block-0-r-00001-snappy.parquet': glue('2024-05-02'),
    'metrics/2024-05-01/run-1714564800000-part-r-00002': glue('2024-05-01', 'company_id'),
    'metrics/2024-05-02/0000_part_00.parquet': await redshift('2024-05-02'),
    'metrics/2024-05-02/0001_part_00.parquet': await redshift('2024-05-03'),
    'metrics/2024-05-02/manifest': JSON.stringify({
      entries: [{ url: 's3://statsig-ingest/metrics/2024-05-02/0000_part_00.parquet', mandatory: true }],
    }),
    [`events/2024-05-02/20240502_123456_00001_abcde_${UUID}`]: athena(false),
    [`events/2024-05-02/20240502_123456_00002_abcde_${UUID}`]: athena(true),
    'events/date=2024-05-02/part-0.parquet': athena(false),
  };
}

const decoder = suiteDecoder();
let objects: Record<string, Uint8Array | string>;
let root: string;
let world: World;

beforeAll(async () => {
  objects = await mirrorObjects();
  root = mkdtempSync(join(tmpdir(), 'statsig-s3-mirror-'));
  for (const [key, body] of Object.entries(objects)) {
    mkdirSync(dirname(join(root, key)), { recursive: true });
    writeFileSync(join(root, key), body);
  }
  world = await startWorld({ config: { idTypes: ['user_id', 'stable_id', 'company_id'] } });
});

afterAll(async () => {
  await world.stop();
  await Promise.all([decoder.close(), closeDuckDb()]);
  rmSync(root, { recursive: true, force: true });
});

const keyOf = (path: string) =>
  path
    .slice(root.length + 1)
    .split(/[\\/]/)
    .join('/');

/** What the CLI says of each object: the folder walk's verdicts, then every object it left out, named alone. */
async function cliVerdicts(): Promise<Record<string, Verdict>> {
  const verdicts: Record<string, Verdict> = {};
  const walk = { stdout: sink(), stderr: sink() };
  await runCli(['validate', root, '--id-types', 'company_id', '--json'], walk, () => decoder);
  for (const report of JSON.parse(walk.stdout.text()) as { file: string; valid: boolean }[])
    verdicts[keyOf(report.file)] = report.valid ? 'valid' : 'quarantined';
  for (const key of Object.keys(objects).filter((name) => !verdicts[name])) {
    const named = { stdout: sink(), stderr: sink() };
    await runCli(['validate', join(root, key)], named, () => decoder);
    const said = /^IGNORED {2}.*?: (.*)$/m.exec(named.stdout.text());
    verdicts[key] = said ? `ignored: ${said[1]}` : `ignored: (not told) ${named.stdout.text()}`;
  }
  return verdicts;
}

/** What the handler does with the same keys in S3: the outcome it logs for each object's notification. */
async function lambdaVerdicts(): Promise<Record<string, Verdict>> {
  const verdicts: Record<string, Verdict> = {};
  for (const [key, body] of Object.entries(objects)) {
    world.reset();
    await world.notify(key, await world.upload(key, body));
    const outcome = world.logs.find((log) => log.outcome)?.outcome;
    if (outcome?.kind === 'validated') verdicts[key] = 'valid';
    else if (outcome?.kind === 'rejected') verdicts[key] = 'quarantined';
    else verdicts[key] = `ignored: ${outcome?.reason ?? outcome?.kind}`;
  }
  return verdicts;
}

it('gives every object of a Spark, Glue, Redshift and Athena mirror the Lambda verdict', async () => {
  const cli = await cliVerdicts();
  const lambda = await lambdaVerdicts();
  const verdict = (of: Record<string, Verdict>) =>
    Object.fromEntries(Object.entries(of).map(([key, said]) => [key, said.startsWith('ignored') ? 'ignored' : said]));
  expect(verdict(cli)).toEqual(verdict(lambda));
  // Ignored for the same reason where the Lambda gives one (a marker is handed to readiness instead).
  for (const [key, said] of Object.entries(lambda))
    if (said.startsWith('ignored') && !said.endsWith('marker')) expect([key, cli[key]]).toEqual([key, said]);
  // The mirror holds each kind of verdict, so agreeing is not agreeing on nothing.
  expect(new Set(Object.values(verdict(lambda)))).toEqual(new Set(['valid', 'quarantined', 'ignored']));
}, 120_000);
