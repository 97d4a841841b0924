#!/usr/bin/env node
import { existsSync, readdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runStory } from './local/story';

const USAGE = `Usage: npm start [-- --keep <folder>] [-- --files <folder>]

Runs the whole pipeline on this machine: an S3-compatible server on 127.0.0.1, the bucket layout, a day of
sample data uploaded as a producer would (one file broken), the real validator fed S3's notifications, and
readiness publishing signals/ once the broken file is fixed.

  --keep <folder>   keep the S3 server's data in <folder> (a new or empty folder)
  --files <folder>  upload your own files instead: a mirror of the bucket (events/YYYY-MM-DD/..., metrics/...)`;

async function main(): Promise<number> {
  let values;
  try {
    values = parseArgs({
      options: { keep: { type: 'string' }, files: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }).values;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (values.keep && existsSync(values.keep) && readdirSync(values.keep).length > 0) {
    // A second run over kept data would find its days already published and tell a different story.
    process.stderr.write(`--keep needs a new or empty folder: ${values.keep} is not empty\n`);
    return 2;
  }
  return runStory({ keep: values.keep, files: values.files }, process.stdout);
}

void main().then(
  (code) => (process.exitCode = code),
  (error: Error) => {
    process.stderr.write(`local run failed: ${error.stack ?? error.message}\n`);
    process.exitCode = 1;
  },
);
