import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { CRAFTED_CASES, type CraftedCase } from '../test/support/crafted-files';
import { closeDuckDb, duckdbReads } from '../test/support/duckdb-parquet';
import { FUZZ_DAY, FUZZ_NOW_MS, fuzzFixtures, type FuzzFixture } from '../test/support/fuzz-fixtures';
import { mutate, type MutationKind, Random } from '../test/support/mutations';
import type { FuzzAnswer, FuzzRequest } from './fuzz-validator';
import { treeRssKb } from './process-tree-rss';
import { replaceSection } from './results-file';

/**
 * `npm run fuzz`: mutants of valid files from several writers, each judged by the validator (in a child process
 * with the CLI's defaults, its process tree's memory sampled) and read whole by DuckDB, the oracle for "readable".
 * Counts what spec §6 forbids (a file judged valid that DuckDB refuses, a verdict later than the bound, a report's
 * impossible numbers) and the peak memory, writes them into bench/results.md, and keeps each offending mutant in
 * .fuzz-findings/ to replay. FUZZ_RUNS (default 10,000) and FUZZ_SEED choose the mutants. First it judges issue 12's
 * crafted hostile files (test/support/crafted-files.ts) one at a time, each with its time and its peak; FUZZ_RUNS=0
 * judges those alone.
 */
const ROOT = join(__dirname, '..', '..');
const FINDINGS = join(ROOT, '.fuzz-findings');
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261205);
const VERDICT_BOUND_MS = 10_000;
/** Past this the validator is stopped and started again: the mutant had no verdict in any useful time. */
const WATCHDOG_MS = 60_000;
const RSS_BOUND_MB = 1024;
const SAMPLE_MS = 20;

interface Offence {
  readonly run: number;
  readonly fixture: string;
  readonly kind: MutationKind;
  readonly detail: string;
}

class Validator {
  private child!: ChildProcess;
  private ready!: Promise<void>;
  private pending?: { id: number; resolve: (answer: FuzzAnswer) => void };

  constructor() {
    this.start();
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  judge(request: FuzzRequest): Promise<FuzzAnswer | undefined> {
    return this.ready.then(
      () =>
        new Promise<FuzzAnswer | undefined>((resolve) => {
          const timer = setTimeout(() => {
            this.pending = undefined;
            this.restart();
            resolve(undefined);
          }, WATCHDOG_MS);
          this.pending = {
            id: request.id,
            resolve: (answer) => {
              clearTimeout(timer);
              resolve(answer);
            },
          };
          this.child.send(request);
        }),
    );
  }

  stop(): void {
    this.child.kill('SIGKILL');
  }

  private start(): void {
    this.child = fork(join(__dirname, 'fuzz-validator.js'), [], { serialization: 'advanced', stdio: 'inherit' });
    this.ready = new Promise((resolve) => {
      this.child.on('message', (message: FuzzAnswer | 'ready') => {
        if (message === 'ready') resolve();
        else if (this.pending?.id === message.id) this.pending.resolve(message);
      });
    });
  }

  private restart(): void {
    this.stop();
    this.start();
  }
}

/** What a report may never say, whatever the bytes (spec §6: the numbers in a report are sane). */
function impossibleNumbers(answer: FuzzAnswer, size: number, duckRows: number | undefined): string | undefined {
  const { rows = -1, rowGroups = -1, bytes = -1, bytesRead = -1 } = answer;
  if (!Number.isSafeInteger(rows) || rows < 0) return `rows ${rows}`;
  if (!Number.isSafeInteger(rowGroups) || rowGroups < 0) return `rowGroups ${rowGroups}`;
  if (bytes !== size) return `bytes ${bytes} of a ${size}-byte file`;
  if (bytesRead < 0 || bytesRead > 2 * size) return `bytesRead ${bytesRead} of a ${size}-byte file`;
  if (answer.valid && duckRows !== undefined && rows !== duckRows) return `rows ${rows}, DuckDB reads ${duckRows}`;
  return undefined;
}

interface CraftedResult {
  readonly name: string;
  readonly verdict: string;
  readonly seconds: number;
  readonly peakMb: number;
  /** What is wrong: no verdict, another verdict than expected, over the time or memory bound. */
  readonly offence?: string;
}

function craftedOffence(crafted: CraftedCase, answer: FuzzAnswer | undefined, peakMb: number): string | undefined {
  if (!answer) return `no verdict within ${WATCHDOG_MS / 1000} s`;
  if (answer.thrown !== undefined) return `thrown: ${answer.thrown}`;
  const { expected } = crafted;
  if (expected.valid && !(answer.valid && answer.rows === expected.rows(1))) {
    return `expected valid with ${expected.rows(1)} rows`;
  }
  if (!expected.valid && !(answer.rules?.join() === 'parquet.corrupt' && expected.says.test(answer.firstError ?? ''))) {
    return `expected parquet.corrupt saying ${expected.says.source}`;
  }
  if (answer.ms > VERDICT_BOUND_MS) return `over ${VERDICT_BOUND_MS / 1000} s`;
  return peakMb > RSS_BOUND_MB ? `over ${RSS_BOUND_MB} MB` : undefined;
}

/**
 * Each crafted case alone, in a fresh validator (so that its peak is its own, and the mutants' figures stay comparable
 * with earlier runs), the process tree's memory sampled from the start to the verdict.
 */
async function judgeCrafted(): Promise<CraftedResult[]> {
  const results: CraftedResult[] = [];
  for (const [index, crafted] of CRAFTED_CASES.entries()) {
    const bytes = crafted.bytes();
    const validator = new Validator();
    let peakKb = 0;
    const sampler = setInterval(() => {
      peakKb = Math.max(peakKb, treeRssKb(validator.pid));
    }, SAMPLE_MS);
    const answer = await validator.judge({
      id: index,
      file: `crafted-${index}.parquet`,
      dataset: crafted.dataset,
      day: FUZZ_DAY,
      nowMs: FUZZ_NOW_MS,
      bytes,
    });
    clearInterval(sampler);
    const peakMb = Math.max(peakKb, treeRssKb(validator.pid)) / 1024;
    validator.stop();
    const verdict = !answer ? 'none' : answer.valid ? `valid, ${answer.rows} rows` : (answer.rules ?? []).join(', ');
    const offence = craftedOffence(crafted, answer, peakMb);
    if (offence) keep(`crafted-${index}.parquet`, bytes);
    results.push({ name: crafted.name, verdict, seconds: (answer?.ms ?? WATCHDOG_MS) / 1000, peakMb, offence });
    process.stderr.write(
      `crafted: ${crafted.name}: ${verdict}, ${((answer?.ms ?? 0) / 1000).toFixed(2)} s, ${peakMb.toFixed(0)} MB${offence ? ` (${offence})` : ''}\n`,
    );
  }
  return results;
}

function keep(name: string, bytes: Uint8Array): void {
  mkdirSync(FINDINGS, { recursive: true });
  writeFileSync(join(FINDINGS, name), bytes);
}

async function main(): Promise<void> {
  const crafted = await judgeCrafted();
  const fixtures: FuzzFixture[] = await fuzzFixtures();
  const scratch = mkdtempSync(join(tmpdir(), 'statsig-s3-fuzz-'));
  const validator = new Validator();
  const random = new Random(SEED);
  const acceptedRefused: Offence[] = [];
  const late: Offence[] = [];
  const impossible: Offence[] = [];
  const thrown: Offence[] = [];
  let peakKb = 0;
  let peakCase = '';
  let slowest = { ms: 0, what: '' };
  let valid = 0;
  let currentCase = '';
  const sampler = setInterval(() => {
    const kb = treeRssKb(validator.pid);
    if (kb > peakKb) [peakKb, peakCase] = [kb, currentCase];
  }, SAMPLE_MS);
  const started = performance.now();
  for (let run = 0; run < RUNS; run++) {
    const fixture = fixtures[run % fixtures.length];
    const mutant = mutate(fixture.bytes, random);
    const name = `${run}-${fixture.name}-${mutant.kind}.parquet`;
    currentCase = name;
    const answer = await validator.judge({
      id: run,
      file: name,
      dataset: fixture.dataset,
      day: FUZZ_DAY,
      nowMs: FUZZ_NOW_MS,
      bytes: mutant.bytes,
    });
    const path = join(scratch, 'mutant.parquet');
    writeFileSync(path, mutant.bytes);
    const read = await duckdbReads(path);
    // DuckDB names the scratch file; the results name the mutant by its run instead.
    const refusal = read.error?.replaceAll(path, 'the mutant');
    const offence = (detail: string): Offence => ({ run, fixture: fixture.name, kind: mutant.kind, detail });
    if (!answer) {
      late.push(offence(`no verdict within ${WATCHDOG_MS / 1000} s`));
      keep(name, mutant.bytes);
      continue;
    }
    if (answer.ms > slowest.ms) slowest = { ms: answer.ms, what: `${name} (${answer.rules?.join(', ') || 'valid'})` };
    if (answer.thrown !== undefined) {
      thrown.push(offence(answer.thrown));
      keep(name, mutant.bytes);
      continue;
    }
    if (answer.valid) valid += 1;
    if (answer.ms > VERDICT_BOUND_MS) late.push(offence(`${(answer.ms / 1000).toFixed(1)} s`));
    if (answer.valid && refusal !== undefined) {
      acceptedRefused.push(offence(refusal));
      keep(name, mutant.bytes);
    }
    const numbers = impossibleNumbers(answer, mutant.bytes.length, read.rows);
    if (numbers) {
      impossible.push(offence(numbers));
      keep(name, mutant.bytes);
    }
    if ((run + 1) % 500 === 0) {
      process.stderr.write(
        `${run + 1}/${RUNS}: ${acceptedRefused.length} valid that DuckDB refuses, ${late.length} late, ` +
          `peak ${(peakKb / 1024).toFixed(0)} MB, ${((performance.now() - started) / 1000).toFixed(0)} s\n`,
      );
    }
  }
  clearInterval(sampler);
  validator.stop();
  await closeDuckDb();
  rmSync(scratch, { recursive: true, force: true });

  const peakMb = peakKb / 1024;
  const list = (offences: Offence[]) =>
    offences.slice(0, 20).map((o) => `  - run ${o.run}, ${o.fixture}, ${o.kind}: ${o.detail.slice(0, 200)}`);
  const cpu = cpus();
  const text = [
    '## Fuzz: mutants against DuckDB',
    '',
    `Written by \`npm run fuzz\` on ${new Date().toISOString().slice(0, 10)}: ${RUNS.toLocaleString('en-US')} mutants (seed ${SEED}) of ${fixtures.length} files from DuckDB, Polars, arrow-rs and a Spark INT96 writer, in ${((performance.now() - started) / 60_000).toFixed(0)} min.`,
    `Machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node.js ${process.version}. The validator runs as the CLI does (its defaults, a 1 GiB memory budget); DuckDB reads every column of every mutant.`,
    '',
    '| measure | result | target |',
    '|---|---|---|',
    `| judged valid | ${valid.toLocaleString('en-US')} | |`,
    `| judged valid, DuckDB refuses to read | ${acceptedRefused.length} | 0 |`,
    `| no verdict within ${VERDICT_BOUND_MS / 1000} s | ${late.length} | 0 |`,
    `| reports with impossible numbers | ${impossible.length} | 0 |`,
    `| errors thrown past the validator's API | ${thrown.length} | 0 |`,
    `| peak process-tree RSS | ${peakMb.toFixed(0)} MB (${peakCase}) | ≤ ${RSS_BOUND_MB} MB |`,
    `| slowest verdict | ${(slowest.ms / 1000).toFixed(2)} s (${slowest.what}) | ≤ ${VERDICT_BOUND_MS / 1000} s |`,
    ...(acceptedRefused.length ? ['', '- Judged valid, DuckDB refuses:', ...list(acceptedRefused)] : []),
    ...(late.length ? ['', '- Late:', ...list(late)] : []),
    ...(impossible.length ? ['', '- Impossible numbers:', ...list(impossible)] : []),
    ...(thrown.length ? ['', '- Thrown:', ...list(thrown)] : []),
    '',
    `Issue 12's crafted hostile files (test/support/crafted-files.ts), each judged by a fresh validator before the mutants; the peak is that validator's whole process tree, from its start to the verdict (${SAMPLE_MS} ms samples).`,
    '',
    '| crafted file | verdict | seconds | peak MB | |',
    '|---|---|---|---|---|',
    ...crafted.map(
      (c) => `| ${c.name} | ${c.verdict} | ${c.seconds.toFixed(2)} | ${c.peakMb.toFixed(0)} | ${c.offence ?? 'ok'} |`,
    ),
    `| target | the expected verdict | ≤ ${VERDICT_BOUND_MS / 1000} | ≤ ${RSS_BOUND_MB} | |`,
  ].join('\n');
  if (!process.env.FUZZ_RUNS || RUNS >= 10_000) replaceSection('fuzz', 'npm run fuzz', text);
  process.stdout.write(`${text}\n`);
  const failed =
    acceptedRefused.length + late.length + impossible.length + thrown.length > 0 || crafted.some((c) => c.offence);
  process.exitCode = failed || peakMb > RSS_BOUND_MB ? 1 : 0;
}

void main();
