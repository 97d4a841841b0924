import { type ExecFileException, execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { Writable } from 'node:stream';
import { addDays, classifyKey, MARKER_NAME, statsigDayAt } from '../../lambda/validation';
import { promisify } from 'node:util';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../test/doubles/s3-server';
import { LOCAL_BUCKET, LocalPipeline, type Outcome } from './local-pipeline';
import { Narration } from './narration';
import { sampleDay } from './sample-day';

export interface StoryOptions {
  /** Keep the S3 server's data in this folder instead of a scratch folder. */
  readonly keep?: string;
  /** A local mirror of the bucket to upload instead of the sample data. */
  readonly files?: string;
  readonly now?: number;
}

/**
 * S3 lists times to the second: a marker re-uploaded within the second of a quarantine would not re-arm its day. A
 * producer takes longer than that to fix a file; here the local server's clock is moved on by as much, not waited for.
 */
const FIX_TAKES_MS = 1_000;

const run = promisify(execFile);

/** Runs the whole pipeline locally and tells what happens; resolves to the exit code. */
export async function runStory(options: StoryOptions, out: Writable): Promise<number> {
  const say = new Narration(out);
  say.line(
    'Statsig S3 ingestion, run locally: an S3-compatible server and the real validator, nothing beyond 127.0.0.1.',
  );
  const pipeline = await LocalPipeline.start(options.keep);
  const outcomes: Outcome[] = [];
  try {
    say.step(
      `S3-compatible server at ${pipeline.s3Server.endpoint}; EventBridge and SNS stand-in at ${pipeline.aws.endpoint}`,
    );
    for (const prefix of ['events/', 'metrics/', 'signals/']) await pipeline.put(prefix, new Uint8Array());
    say.line(`  bucket ${LOCAL_BUCKET} with events/, metrics/ and signals/`);
    if (options.files) outcomes.push(...(await ownFiles(pipeline, say, options.files)));
    else outcomes.push(...(await sampleStory(pipeline, say, options.now ?? Date.now())));
    await summary(pipeline, say, outcomes, options.keep);
    return outcomes.some((outcome) => outcome.failedRecords > 0) ? 1 : 0;
  } finally {
    await pipeline.stop();
  }
}

async function sampleStory(pipeline: LocalPipeline, say: Narration, now: number): Promise<Outcome[]> {
  // Two days that have ended in Statsig's time zone: readiness never publishes a day before it ends.
  const second = addDays(statsigDayAt(now), -1);
  const first = addDays(second, -1);
  const days = [sampleDay(first, true), sampleDay(second, false)];
  const markers = days.flatMap(({ day }) => [`events/${day}/${MARKER_NAME}`, `metrics/${day}/${MARKER_NAME}`]);

  say.step(
    `The producer uploads ${first} and ${second} (Statsig days, UTC−8), then writes each folder's ${MARKER_NAME}`,
  );
  for (const day of days) {
    for (const file of day.files) {
      await pipeline.put(file.key, file.body);
      say.line(`  put ${file.key}  (${file.note})`);
    }
  }
  for (const marker of markers) {
    await pipeline.put(marker, new Uint8Array());
    say.line(`  put ${marker}`);
  }

  say.step('S3 notifies the validator through SQS; it judges every file and checks each day');
  const uploaded = await pipeline.deliver([...days.flatMap((day) => day.files.map((file) => file.key)), ...markers]);
  say.outcome(uploaded);
  await showStatus(pipeline, say, 'A data engineer asks why the days are not in Statsig');

  const correction = days[0].correction;
  say.step(
    `The producer reads the alert, fixes ${correction.key} and uploads it again, then re-arms the day with a new ${MARKER_NAME}`,
  );
  await pipeline.put(correction.key, correction.body);
  say.line(`  put ${correction.key}  (${correction.note})`);
  await pipeline.s3Server.advanceClock(FIX_TAKES_MS);
  const rearm = `metrics/${first}/${MARKER_NAME}`;
  await pipeline.put(rearm, new Uint8Array());
  say.line(`  put ${rearm}`);
  const fixed = await pipeline.deliver([correction.key, rearm]);
  say.outcome(fixed);
  await showStatus(pipeline, say, 'And asks again');
  return [uploaded, fixed];
}

/** The compiled CLI, run as a person runs it against the bucket, with the local server's endpoint and key. */
const CLI = join(__dirname, '..', 'statsig-s3.js');

async function showStatus(pipeline: LocalPipeline, say: Narration, why: string): Promise<void> {
  const args = ['status', `s3://${LOCAL_BUCKET}`, '--endpoint-url', pipeline.s3Server.endpoint];
  say.step(`${why}: statsig-s3 ${args.slice(0, 2).join(' ')}`);
  const { stdout, stderr } = await run(process.execPath, [CLI, ...args, '--region', LOCAL_REGION], {
    env: {
      ...process.env,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    },
  }).catch((error: ExecFileException & { stdout: string; stderr: string }) => {
    // Exit 1 says a day is stalled: still a status to show.
    if (error.code === 1) return error;
    throw error;
  });
  for (const line of `${stdout}${stderr}`.trimEnd().split('\n')) say.line(line ? `  ${line}` : '');
}

async function ownFiles(pipeline: LocalPipeline, say: Narration, folder: string): Promise<Outcome[]> {
  const keys = (await walk(folder)).map((path) => relative(folder, path).split(sep).join('/'));
  const wanted = keys.filter((key) => classifyKey(key).kind !== 'ignored');
  say.step(`Uploading ${wanted.length} object(s) from ${folder} as a producer would`);
  const markers = wanted.filter((key) => classifyKey(key).kind === 'marker');
  for (const key of [...wanted.filter((key) => !markers.includes(key)), ...markers]) {
    await pipeline.put(key, new Uint8Array(await readFile(join(folder, key))));
    say.line(`  put ${key}`);
  }
  say.step('S3 notifies the validator through SQS; it judges every file and checks each day');
  const outcome = await pipeline.deliver(wanted);
  say.outcome(outcome);
  return [outcome];
}

async function walk(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

async function summary(
  pipeline: LocalPipeline,
  say: Narration,
  outcomes: readonly Outcome[],
  kept: string | undefined,
): Promise<void> {
  const events = outcomes.flatMap((outcome) => outcome.events);
  const count = (type: string) => events.filter((event) => event.detailType === type).length;
  const signals = (await pipeline.list('signals/')).filter((key) => !key.endsWith('/'));
  const quarantined = await pipeline.list(pipeline.config.quarantinePrefix);
  const reports = await pipeline.list(pipeline.config.reportsPrefix);
  say.step('Summary');
  say.line(`  files validated: ${count('File Validated')}, rejected and quarantined: ${count('File Rejected')}`);
  say.line(
    `  days published: ${count('Day Ready')}, readiness holds: ${count('Readiness Held')}, alerts: ${outcomes.reduce((sum, outcome) => sum + outcome.alerts.length, 0)}`,
  );
  say.line(`  signals files: ${signals.join(', ') || 'none'}`);
  say.line(`  quarantine: ${quarantined.join(', ') || 'empty'}`);
  say.line(`  reports: ${reports.length} under ${pipeline.config.reportsPrefix} (one JSON per judged object)`);
  say.line(
    kept
      ? `  the bucket's objects are kept in ${kept} (s3rver's layout)`
      : '  the local server and its data are gone; --keep <folder> keeps them',
  );
}
