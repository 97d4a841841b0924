import { openFileByteSource } from '../bin/cli/file-byte-source';
import { COMPILED_DECODER_SCRIPT, DecodePool, validateParquet } from '../lambda/validation';
import { BENCH_DAY } from './datasets';
import { sampleTreeRss } from './process-tree-rss';

/**
 * Child process: validates one file and prints one JSON line of measurements. Run fresh per file for a clean RSS.
 * Arguments: the file, its dataset, `full` or `schema-only`, and optionally how many decoders (the pool's default
 * when absent).
 */
async function main(): Promise<void> {
  const [path, dataset, mode, decoders] = process.argv.slice(2);
  const source = await openFileByteSource(path);
  const decoder = new DecodePool({ script: COMPILED_DECODER_SCRIPT, size: decoders ? Number(decoders) : undefined });
  const rss = sampleTreeRss();
  const started = performance.now();
  const report = await validateParquet(
    source,
    { file: path, dataset: dataset as 'events' | 'metrics', day: BENCH_DAY, schemaOnly: mode === 'schema-only' },
    decoder,
  );
  const ms = performance.now() - started;
  const peakRssMb = rss.stop();
  await source.close();
  await decoder.close();
  const line = {
    ms,
    rows: report.rows,
    bytes: report.bytes,
    bytesRead: report.bytesRead,
    valid: report.valid,
    counts: Object.fromEntries(report.counts.map((count) => [count.rule, count.count])),
    peakRssMb,
    threads: decoder.size,
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

void main();
