import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { MarkerOrder, ReadinessRun } from './measure-readiness';

/** Requests per file for a whole day, validator included: the issue's target (issue 13). */
export const REQUESTS_PER_FILE_TARGET = 8;
const ORDERS: readonly MarkerOrder[] = ['marker-last', 'marker-first', 'backlog'];
/** `BENCH_READINESS_SIZES=100,1000` measures fewer sizes on a busy machine. */
const SIZES = (process.env.BENCH_READINESS_SIZES ?? '100,1000,5000').split(',').map(Number);

function measure(order: MarkerOrder, files: number): ReadinessRun {
  const output = execFileSync(process.execPath, [join(__dirname, 'measure-readiness.js'), order, String(files)], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return JSON.parse(output.trim().split('\n').pop()!) as ReadinessRun;
}

/** Each size in each order, in a fresh process; the markdown section of results.md. */
export function readinessScale(): string {
  const rows: string[] = [];
  for (const files of SIZES) {
    for (const order of ORDERS) {
      process.stderr.write(`readiness: ${files} files, ${order}…\n`);
      const run = measure(order, files);
      const perFile = (count: number) => (count / run.files).toFixed(2);
      const methods = ['GET', 'HEAD', 'PUT', 'LIST', 'DELETE']
        .filter((method) => run.byMethod[method])
        .map((method) => `${method} ${perFile(run.byMethod[method])}`)
        .join(', ');
      const once = run.signalsWrites === 1 && run.dayReadyEvents === 1;
      process.stderr.write(`${JSON.stringify(run)}\n`);
      rows.push(
        `| ${run.files - 1} + 1 | ${order} | ${run.deliveries.toLocaleString('en-US')} | **${perFile(run.requests)}** | ${methods} | ` +
          `${perFile(run.readinessRequests)} | ${run.conflicts} | ${run.evaluations} | ${once ? 'yes' : `**no** (${run.signalsWrites} writes, ${run.dayReadyEvents} events)`}` +
          `${run.neededScheduledCheck ? ' (by the scheduled check)' : ''} | ${(run.wallMs / 1000).toFixed(1)} |`,
      );
    }
  }
  return [
    '### Readiness at scale',
    '',
    'One day of N metrics files and one events file (tiny files), judged by the handler and decided by readiness against the local S3 server behind the fault proxy, which enforces conditional writes and counts every request (retries and lost races included). SQS batches of 10, 10% of the files delivered twice, up to 16 batches handled at once. `marker-last`: `_SUCCESS` written and notified after every verdict; `marker-first`: written with the files, notified first; `backlog`: written with the files, notified halfway through the queue.',
    '',
    '| files | order | deliveries | S3 requests per file | by method, per file | of which readiness | conflicts | evaluations | published exactly once | wall s |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `Target: at most ${REQUESTS_PER_FILE_TARGET} S3 requests per file in total, in every order and at every size, and the day published exactly once.`,
  ].join('\n');
}
