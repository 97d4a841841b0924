#!/usr/bin/env node
import { main } from './cli/main';

void main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then((code) => {
  process.exitCode = code;
});
