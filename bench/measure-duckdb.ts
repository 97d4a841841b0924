import { DuckDBInstance } from '@duckdb/node-api';
import { referenceSql } from './duckdb-reference';

/** Child process: runs the reference rule query on one file with N threads and prints one JSON line. */
async function main(): Promise<void> {
  const [path, dataset, threads, nowSeconds] = process.argv.slice(2);
  const db = await DuckDBInstance.create(':memory:', { threads });
  const connection = await db.connect();
  const started = performance.now();
  const reader = await connection.runAndReadAll(
    referenceSql(dataset as 'events' | 'metrics', path, Number(nowSeconds)),
  );
  const ms = performance.now() - started;
  const counts = Object.fromEntries(
    Object.entries(reader.getRowObjectsJS()[0]).map(([rule, count]) => [rule, Number(count)]),
  );
  connection.closeSync();
  process.stdout.write(`${JSON.stringify({ ms, counts, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
}

void main();
