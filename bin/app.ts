#!/usr/bin/env node
// The example deployment: `npx cdk synth` works offline and without credentials, because the stack is
// environment-agnostic and nothing in it looks anything up.
import { App, Stack } from 'aws-cdk-lib';
import { StatsigS3Ingestion } from '../lib';

const app = new App();
const stack = new Stack(app, 'StatsigS3Ingestion', {
  description: 'Statsig S3 ingestion: hardened bucket, least-privilege reader, parquet validator',
});
new StatsigS3Ingestion(stack, 'Ingestion');
app.synth();
