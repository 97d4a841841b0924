import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { DuckDBInstance } from '@duckdb/node-api';
import { Announcer } from '../lambda/bucket/announcements';
import { DEFAULT_RETRY_POLICY } from '../lambda/bucket/retry';
import { createHandler } from '../lambda/handler/handler';
import { createReadiness } from '../lambda/readiness';
import type { Readiness, ReadinessResult } from '../lambda/readiness/port';
import { COMPILED_DECODER_SCRIPT, DecodePool, statsigDayEndMs } from '../lambda/validation';
import { validatorConfig } from '../lambda/wire/config';
import { scheduledCheck } from '../lambda/wire/scheduled-check';
import { AwsRecorder } from '../test/doubles/aws-stand-in';
import { s3EventRecord, sqsEvent } from '../test/doubles/s3-notifications';
import { startS3Server } from '../test/doubles/s3-server';
import { FaultProxy } from '../test/support/fault-proxy';

/**
 * Child process: one day of N metrics files and one events file, judged by the handler and decided by readiness
 * against the local S3 server behind a counting proxy. Notifications arrive in SQS batches of 10, with 10% of the
 * files delivered twice, and up to 16 batches are handled at once (as SQS drives a busy function). `order` says
 * when the metrics marker comes: `marker-first` (written with the files, its notification before any file's),
 * `backlog` (written with the files, as Spark does, its notification halfway through the queue while the backlog
 * drains), `marker-last` (written and notified after every verdict).
 * Prints one JSON line of measurements.
 */
export type MarkerOrder = 'marker-first' | 'backlog' | 'marker-last';

export interface ReadinessRun {
  readonly order: MarkerOrder;
  readonly files: number;
  readonly deliveries: number;
  readonly requests: number;
  readonly byMethod: Record<string, number>;
  /** Requests for readiness (state, verdict index, day listings, signals) and for judging files. */
  readonly readinessRequests: number;
  readonly conflicts: number;
  readonly evaluations: number;
  readonly signalsWrites: number;
  readonly dayReadyEvents: number;
  readonly neededScheduledCheck: boolean;
  readonly wallMs: number;
}

const BUCKET = 'statsig-ingest';
const DAY = '2024-05-01';
const BATCH = 10;
const CONCURRENCY = 16;
const DUPLICATE_SHARE = 0.1;
const SEED = 20240501;

/** mulberry32: a seeded generator, so every run delivers in the same order. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function tinyFiles(): Promise<{ metrics: Uint8Array; events: Uint8Array }> {
  const folder = mkdtempSync(join(tmpdir(), 'bench-readiness-'));
  const connection = await (await DuckDBInstance.create(':memory:')).connect();
  const write = async (select: string, name: string) => {
    await connection.run(`COPY (${select}) TO '${join(folder, name)}' (FORMAT parquet)`);
    return new Uint8Array(readFileSync(join(folder, name)));
  };
  const metrics = await write(
    `SELECT 'unit-' || i AS unit_id, 'user_id' AS id_type, DATE '${DAY}' AS "date", 'revenue' AS metric_name,
            (i * 1.5)::DOUBLE AS metric_value, NULL::DOUBLE AS numerator, NULL::DOUBLE AS denominator
     FROM range(5) t(i)`,
    'metrics.parquet',
  );
  const dayStart = Date.parse(`${DAY}T08:00:00Z`) / 1000;
  const events = await write(
    `SELECT (${dayStart} + i)::BIGINT AS "timestamp", 'page_view' AS event_name,
            '{"userID":"user-' || i || '"}' AS "user", 'home' AS event_value,
            '{"plan":"pro"}' AS event_metadata, uuid()::VARCHAR AS timeuuid
     FROM range(5) t(i)`,
    'events.parquet',
  );
  connection.closeSync();
  rmSync(folder, { recursive: true, force: true });
  return { metrics, events };
}

/** The queue as SQS would hand it out: file notifications shuffled, 10% again later, the marker where `order` says. */
function deliveries(keys: readonly string[], marker: string, order: MarkerOrder): string[] {
  const next = random(SEED);
  const queue = [...keys];
  for (let i = queue.length - 1; i > 0; i -= 1) {
    const j = Math.floor(next() * (i + 1));
    [queue[i], queue[j]] = [queue[j], queue[i]];
  }
  for (const key of keys.filter(() => next() < DUPLICATE_SHARE)) {
    const after = queue.indexOf(key) + 1;
    queue.splice(after + Math.floor(next() * (queue.length - after + 1)), 0, key);
  }
  if (order === 'marker-first') return [marker, ...queue];
  if (order === 'backlog') return [...queue.slice(0, queue.length / 2), marker, ...queue.slice(queue.length / 2)];
  return queue;
}

async function main(): Promise<void> {
  const order = process.argv[2] as MarkerOrder;
  const files = Number(process.argv[3]);
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  const { metrics: metricsFile, events: eventsFile } = await tinyFiles();
  const server = await startS3Server([BUCKET]);
  const proxy = await FaultProxy.start(server.port);
  const recorder = await AwsRecorder.start();
  const direct = server.client();

  const keys = [
    ...Array.from({ length: files }, (_, i) => `metrics/${DAY}/part-${String(i).padStart(5, '0')}.parquet`),
    `events/${DAY}/part-00000.parquet`,
  ];
  for (let i = 0; i < keys.length; i += 32) {
    await Promise.all(
      keys.slice(i, i + 32).map((key) =>
        direct.send(
          new PutObjectCommand({
            Bucket: BUCKET,
            Key: key,
            Body: key.startsWith('events/') ? eventsFile : metricsFile,
          }),
        ),
      ),
    );
  }
  const writeMarker = (dataset: string) =>
    direct.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${dataset}/${DAY}/_SUCCESS`, Body: new Uint8Array(0) }));
  // Spark writes _SUCCESS right after the files: it exists before any notification is handled, but for marker-last.
  await writeMarker('events');
  if (order !== 'marker-last') await writeMarker('metrics');

  const settings = { readinessStartDay: DAY };
  const config = validatorConfig({
    eventBusName: 'bench-bus',
    alertsTopicArn: 'arn:aws:sns:us-east-1:123456789012:bench-alerts',
    ...settings,
  });
  const clients = recorder.clients(proxy.endpoint, DEFAULT_RETRY_POLICY, () => undefined);
  const logger = new Logger({
    serviceName: 'bench-readiness',
    logLevel: process.env.BENCH_LOG === 'ERROR' ? 'ERROR' : 'SILENT',
  });
  const now = () => statsigDayEndMs(DAY) + 3_600_000;
  const inner = createReadiness({
    config,
    clients,
    announcer: new Announcer(clients.eventBridge, clients.sns, config.eventBusName, config.alertsTopicArn),
    logger,
    retry: DEFAULT_RETRY_POLICY,
    onRetry: () => undefined,
    now,
  });
  let evaluations = 0;
  const counted = async (result: Promise<ReadinessResult>) => {
    const { summary } = await result;
    if (summary.startsWith('readiness (') && !summary.includes('another invocation is deciding')) evaluations += 1;
    return { summary };
  };
  const readiness: Readiness = {
    onMarker: (marker) => counted(inner.onMarker(marker)),
    onVerdict: (verdict) => counted(inner.onVerdict(verdict)),
    onSchedule: (bucket) => counted(inner.onSchedule(bucket)),
  };
  const decoder = new DecodePool({ script: COMPILED_DECODER_SCRIPT });
  const handler = createHandler({
    config,
    clients,
    logger,
    metrics: new Metrics({ namespace: 'Bench', serviceName: 'bench-readiness' }),
    retry: DEFAULT_RETRY_POLICY,
    onRetry: () => undefined,
    decoder,
    readiness,
    now,
  });

  const markers = ['metrics', 'events'].map((dataset) => `${dataset}/${DAY}/_SUCCESS`);
  const queue = deliveries(keys, markers[0], order);
  // The events day is small and marked as it would be: right after its one file.
  queue.splice(queue.indexOf(keys.at(-1)!) + 1, 0, markers[1]);
  if (order === 'marker-last') queue.splice(queue.indexOf(markers[0]), 1);
  const started = performance.now();
  const drain = async (records: string[]) => {
    let taken = 0;
    const invocation = async () => {
      while (taken < records.length) {
        const batch = records.slice(taken, taken + BATCH);
        taken += batch.length;
        const response = await handler(sqsEvent(...batch.map((key) => s3EventRecord(BUCKET, key))));
        if (response.batchItemFailures.length > 0) throw new Error(`a batch failed: ${JSON.stringify(response)}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, invocation));
  };
  await drain(queue);
  if (order === 'marker-last') {
    await writeMarker('metrics');
    await drain([markers[0]]);
  }
  const signalsKey = `signals/${DAY}.parquet`;
  const published = () =>
    proxy.requests.filter((entry) => entry.method === 'PUT' && entry.key === signalsKey && entry.status === 200).length;
  // A GET of the bucket itself with `list-type` is a listing.
  const methodOf = (entry: { method: string; query: string }) =>
    entry.method === 'GET' && entry.query.includes('list-type') ? 'LIST' : entry.method;
  const neededScheduledCheck = published() === 0;
  const beforeCheck = proxy.requests.length;
  if (neededScheduledCheck) await handler(scheduledCheck(BUCKET));
  const wallMs = performance.now() - started;

  const counting = proxy.requests.slice(0, neededScheduledCheck ? proxy.requests.length : beforeCheck);
  const byMethod: Record<string, number> = {};
  for (const entry of counting) byMethod[methodOf(entry)] = (byMethod[methodOf(entry)] ?? 0) + 1;
  const forReadiness = (key: string, method: string) =>
    key.startsWith(config.statePrefix) || key.startsWith('signals/') || method === 'LIST';
  const run: ReadinessRun = {
    order,
    files: keys.length,
    deliveries: queue.length + (order === 'marker-last' ? 1 : 0),
    requests: counting.length,
    byMethod,
    readinessRequests: counting.filter((entry) => forReadiness(entry.key, methodOf(entry))).length,
    conflicts: counting.filter((entry) => entry.status === 412 || entry.status === 409).length,
    evaluations,
    signalsWrites: published(),
    dayReadyEvents: recorder.events.filter((event) => event.detailType === 'Day Ready').length,
    neededScheduledCheck,
    wallMs,
  };
  if (process.env.BENCH_DETAIL) {
    const kinds: Record<string, number> = {};
    for (const entry of counting) {
      const place = entry.key.startsWith(config.statePrefix)
        ? entry.key.split('/').slice(0, 2).join('/')
        : entry.key === ''
          ? decodeURIComponent(entry.query)
              .replace(/.*prefix=([^&]*).*/, 'list $1')
              .replace(/\d{4}-\d{2}-\d{2}.*/, 'D')
          : entry.key.split('/')[0];
      const kind = `${methodOf(entry)} ${place} ${entry.status}`;
      kinds[kind] = (kinds[kind] ?? 0) + 1;
    }
    process.stderr.write(`${JSON.stringify(kinds, null, 1)}\n`);
  }
  await decoder.close();
  for (const client of Object.values(clients)) client.destroy();
  direct.destroy();
  await Promise.all([proxy.stop(), recorder.stop()]);
  await server.stop();
  process.stdout.write(`${JSON.stringify(run)}\n`);
}

void main();
