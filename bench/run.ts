import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { BENCH_FILES, type BenchFile, selectFor } from './datasets';
import { measureLambda } from './measure-lambda';
import { readinessScale } from './readiness-scale';

/**
 * `npm run bench`: writes the benchmark files with DuckDB (once; they are kept in .bench-data/), then for each file
 * times the validator and DuckDB's equivalent rule query, each in a fresh process with the same thread count, and
 * writes bench/results.md, with readiness at scale (`npm run bench -- readiness` measures that alone).
 */
const ROOT = join(__dirname, '..', '..');
const DATA = join(ROOT, '.bench-data');
const RESULTS = join(ROOT, 'bench', 'results.md');
const TARGETS = { ratio: 4, rssMb: 256, ioRatio: 1.02, schemaBytes: 128 * 1024, bundleBytes: 1024 * 1024, initMs: 250 };

interface ValidatorRun {
  ms: number;
  rows: number;
  bytes: number;
  bytesRead: number;
  valid: boolean;
  counts: Record<string, number>;
  peakRssMb: number;
  threads: number;
}

interface DuckRun {
  ms: number;
  counts: Record<string, number>;
  peakRssMb: number;
}

function child<T>(script: string, args: string[]): T {
  const output = execFileSync(process.execPath, [join(__dirname, script), ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  return JSON.parse(output.trim().split('\n').pop()!) as T;
}

async function ensureFiles(files: readonly BenchFile[]): Promise<void> {
  mkdirSync(DATA, { recursive: true });
  const missing = files.filter((file) => !existsSync(join(DATA, `${file.name}.parquet`)));
  if (!missing.length) return;
  const connection = await (await DuckDBInstance.create(':memory:')).connect();
  for (const file of missing) {
    process.stderr.write(`writing ${file.name} with DuckDB…\n`);
    const options = [
      `FORMAT parquet`,
      `COMPRESSION ${file.compression}`,
      ...(file.rowGroupSize ? [`ROW_GROUP_SIZE ${file.rowGroupSize}`] : []),
    ];
    await connection.run(
      `COPY (${selectFor(file)}) TO '${join(DATA, `${file.name}.parquet`)}' (${options.join(', ')})`,
    );
  }
  connection.closeSync();
}

const mb = (bytes: number) => (bytes / 1e6).toFixed(1);

/** The measured sections of results.md, each between its own comments. */
const SECTIONS = {
  validator: { begin: '<!-- measured: written by npm run bench -->', end: '<!-- end of measured -->' },
  readiness: { begin: '<!-- readiness: written by npm run bench -->', end: '<!-- end of readiness -->' },
} as const;

/** Replaces one measured section of results.md and keeps what people wrote around it (the profile, before and after). */
function withMeasured(section: keyof typeof SECTIONS, measured: string): string {
  const { begin: BEGIN, end: END } = SECTIONS[section];
  const block = `${BEGIN}\n${measured}\n${END}`;
  if (!existsSync(RESULTS)) return `${block}\n`;
  const current = readFileSync(RESULTS, 'utf8');
  const [begin, end] = [current.indexOf(BEGIN), current.indexOf(END)];
  return begin >= 0 && end > begin
    ? `${current.slice(0, begin)}${block}${current.slice(end + END.length)}`
    : `${current.trimEnd()}\n\n${block}\n`;
}

async function main(): Promise<void> {
  const only = process.argv[2];
  if (!only || only === 'readiness') {
    const text = readinessScale();
    writeFileSync(RESULTS, withMeasured('readiness', text));
    process.stdout.write(`${text}\n`);
    if (only) return;
  }
  const files = BENCH_FILES.filter((file) => !only || file.name.includes(only));
  await ensureFiles(files);
  const nowSeconds = Math.floor(Date.now() / 1000);
  const rows: string[] = [];
  const notes: string[] = [];
  for (const file of files) {
    const path = join(DATA, `${file.name}.parquet`);
    process.stderr.write(`${file.name}: validator…\n`);
    const validator = child<ValidatorRun>('measure-validator.js', [path, file.dataset]);
    const schemaOnly = child<ValidatorRun>('measure-validator.js', [path, file.dataset, 'schema-only']);
    process.stderr.write(`${file.name}: DuckDB…\n`);
    const duck = child<DuckRun>('measure-duckdb.js', [
      path,
      file.dataset,
      String(validator.threads),
      String(nowSeconds),
    ]);
    const ratio = validator.ms / duck.ms;
    rows.push(
      `| ${file.name} | ${validator.rows.toLocaleString('en-US')} | ${mb(validator.bytes)} | ${(validator.ms / 1000).toFixed(2)} | ` +
        `${(validator.rows / (validator.ms / 1000) / 1e6).toFixed(2)} | ${(validator.bytes / 1e6 / (validator.ms / 1000)).toFixed(1)} | ` +
        `${validator.peakRssMb.toFixed(0)} | ${(validator.bytesRead / validator.bytes).toFixed(3)} | ${(schemaOnly.bytesRead / 1024).toFixed(1)} | ` +
        `${(duck.ms / 1000).toFixed(2)} | ${ratio.toFixed(2)} |`,
    );
    const disagreements = Object.entries(duck.counts).filter(
      ([rule, count]) => (validator.counts[rule] ?? 0) !== count,
    );
    if (disagreements.length) {
      notes.push(
        `- ${file.name}: rule counts differ from DuckDB's: ${disagreements.map(([rule, count]) => `${rule} validator ${validator.counts[rule] ?? 0} / DuckDB ${count}`).join('; ')}`,
      );
    }
  }
  const lambda = measureLambda();
  const medianInit = lambda.initMs[Math.floor(lambda.initMs.length / 2)];
  const cpu = cpus();
  const text = [
    '## Measured',
    '',
    `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}.`,
    `Machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node.js ${process.version}, ${process.platform}/${process.arch}.`,
    'Each measurement runs in a fresh process; times exclude process start. DuckDB runs the same rules as SQL (`bench/duckdb-reference.ts`) with as many threads as the validator uses.',
    '',
    '| file | rows | MB | validator s | M rows/s | MB/s | peak RSS MB | bytes read / size | schema-only KB read | DuckDB s | validator / DuckDB |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `Targets: validator / DuckDB ≤ ${TARGETS.ratio} on metrics-10m-zstd; peak RSS ≤ ${TARGETS.rssMb} MB on 10M rows; bytes read ≤ ${TARGETS.ioRatio} × size; schema-only ≤ ${TARGETS.schemaBytes / 1024} KB.`,
    '',
    '### Lambda',
    '',
    `- Bundled handler: ${(lambda.bundleBytes / 1024).toFixed(0)} KB (target ≤ ${TARGETS.bundleBytes / 1024} KB); decode worker ${(lambda.workerBytes / 1024).toFixed(0)} KB.`,
    `- Module initialisation: median ${medianInit.toFixed(0)} ms over ${lambda.initMs.length} fresh processes (min ${lambda.initMs[0].toFixed(0)}, max ${lambda.initMs[lambda.initMs.length - 1].toFixed(0)}; target ≤ ${TARGETS.initMs} ms).`,
    '',
    ...(notes.length
      ? ['### Rule counts that differ from DuckDB', '', ...notes]
      : ['Every rule count agreed with DuckDB on every file.']),
  ].join('\n');
  if (!only) writeFileSync(RESULTS, withMeasured('validator', text));
  process.stdout.write(text);
}

void main();
