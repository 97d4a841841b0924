import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ValidationReport } from '../../lambda/validation';
import { closeDuckDb, duckdbReads } from '../support/duckdb-parquet';
import { fuzzFixtures, type FuzzFixture } from '../support/fuzz-fixtures';
import { mutate, Random } from '../support/mutations';
import { fixtureChecks } from './support';

const { validateBytes } = fixtureChecks();

/**
 * Issue 12: a differential fuzz test. Mutants of valid files from several writers (the same mutants `npm run fuzz`
 * makes, from the same seed) are judged by the validator and read by DuckDB: a mutant DuckDB cannot read must not be
 * judged valid, every verdict comes within its bound, and a report's numbers are possible. The long run with its
 * memory measurement is `npm run fuzz` (bench/results.md).
 */

const DECODE_TIMEOUT_MS = 2_000;
/** Far above the decode deadline: a verdict that takes this long means something is not under the deadline. */
const VERDICT_BOUND_MS = 15_000;

let fixtures: FuzzFixture[] = [];
let scratch = '';

beforeAll(async () => {
  fixtures = await fuzzFixtures();
  scratch = mkdtempSync(join(tmpdir(), 'statsig-s3-fuzz-test-'));
});

afterAll(async () => {
  await closeDuckDb();
  rmSync(scratch, { recursive: true, force: true });
});

async function verdictWithin(fixture: FuzzFixture, bytes: Uint8Array): Promise<ValidationReport> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no verdict within ${VERDICT_BOUND_MS} ms`)), VERDICT_BOUND_MS);
  });
  try {
    return await Promise.race([validateBytes(fixture.dataset, bytes, { decodeTimeoutMs: DECODE_TIMEOUT_MS }), bound]);
  } finally {
    clearTimeout(timer);
  }
}

/** What any report must satisfy, whatever the bytes. */
function expectWellFormed(report: ValidationReport, size: number): void {
  expect(typeof report.valid).toBe('boolean');
  expect(report.valid).toBe(report.errorCount === 0);
  expect(report.bytes).toBe(size);
  expect(Number.isSafeInteger(report.rows) && report.rows >= 0).toBe(true);
  expect(Number.isSafeInteger(report.rowGroups) && report.rowGroups >= 0).toBe(true);
  expect(report.bytesRead).toBeLessThanOrEqual(size * 2);
  expect(report.errors.length).toBe(Math.min(report.errorCount, 100));
  expect(report.warnings.length).toBe(Math.min(report.warningCount, 100));
  const counted = report.counts
    .filter((count) => count.severity === 'error')
    .reduce((sum, count) => sum + count.count, 0);
  expect(counted).toBe(report.errorCount);
  for (const finding of report.errors) {
    expect(finding.rule).toMatch(/^[a-z_]+(\.[a-z0-9_-]+)+$/);
    expect(finding.message).toContain(report.file);
    expect(finding.message).toContain(finding.hint);
  }
}

it('the unmutated fixtures are valid, and DuckDB reads them', async () => {
  for (const fixture of fixtures) {
    const report = await verdictWithin(fixture, fixture.bytes);
    expect([fixture.name, report.valid, report.errors]).toEqual([fixture.name, true, []]);
    const path = join(scratch, `${fixture.name}.parquet`);
    writeFileSync(path, fixture.bytes);
    expect(await duckdbReads(path)).toEqual({ rows: report.rows });
  }
});

/** CI replays a fixed seed; `FUZZ_SEED` and `FUZZ_RUNS` search further (CONTRIBUTING.md). */
const FUZZ = { seed: Number(process.env.FUZZ_SEED ?? 20240110), runs: Number(process.env.FUZZ_RUNS ?? 200) };

it('no mutant DuckDB refuses is judged valid; every mutant gets a verdict in bounded time with possible numbers', async () => {
  const random = new Random(FUZZ.seed);
  for (let run = 0; run < FUZZ.runs; run++) {
    const fixture = fixtures[run % fixtures.length];
    const mutant = mutate(fixture.bytes, random);
    const report = await verdictWithin(fixture, mutant.bytes);
    expectWellFormed(report, mutant.bytes.length);
    const path = join(scratch, 'mutant.parquet');
    writeFileSync(path, mutant.bytes);
    const read = await duckdbReads(path);
    // Named so that a failure says which mutant to replay (seed, run) and why DuckDB refused it.
    const verdict = { seed: FUZZ.seed, run, fixture: fixture.name, kind: mutant.kind, valid: report.valid };
    if (report.valid) expect({ ...verdict, duckdb: read }).toEqual({ ...verdict, duckdb: { rows: report.rows } });
  }
}, 300_000);

/** zstd's magic number as it lies in a file, little-endian. */
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];
/** Bytes of a page's stream flipped, from its frame header on: enough to reach its blocks' headers and sequences. */
const FLIPPED_BYTES = 160;

// libzstd refuses corrupt blocks and checksums that fzstd, the JavaScript decoder, decoded to bytes.
it.each(['duckdb-metrics-zstd', 'arrow-rs-events-v2-plain'])(
  'no damaged zstd stream DuckDB refuses is judged valid: every byte of a page stream of %s, flipped',
  async (name) => {
    const fixture = fixtures.find((candidate) => candidate.name === name)!;
    const { bytes } = fixture;
    const frame = bytes.findIndex((_, at) => ZSTD_MAGIC.every((byte, i) => bytes[at + i] === byte));
    expect(frame).toBeGreaterThan(0);
    let refused = 0;
    for (let at = frame + ZSTD_MAGIC.length; at < frame + FLIPPED_BYTES; at++) {
      const mutant = bytes.slice();
      mutant[at] ^= 0x10;
      const report = await verdictWithin(fixture, mutant);
      const path = join(scratch, `zstd-mutant-${at}.parquet`);
      writeFileSync(path, mutant);
      const read = await duckdbReads(path);
      if (read.error) refused += 1;
      const verdict = { flipped: at - frame, valid: report.valid };
      if (report.valid) expect({ ...verdict, duckdb: read }).toEqual({ ...verdict, duckdb: { rows: report.rows } });
    }
    // The sweep proves something only if DuckDB refuses some of the damage.
    expect(refused).toBeGreaterThan(0);
  },
  120_000,
);
