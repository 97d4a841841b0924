#!/usr/bin/env node
// The example deployment. `npx cdk synth` works offline and without credentials: the stack is environment-agnostic
// and nothing in it looks anything up.
import { App, Stack } from 'aws-cdk-lib';
import { StatsigS3Ingestion } from '../lib';

/** Builds the example app; exported so that the snapshot test synthesizes exactly what `cdk synth` does. */
export function exampleApp(): App {
  const app = new App();
  const stack = new Stack(app, 'StatsigS3Ingestion', {
    description: 'Statsig S3 ingestion: hardened bucket, least-privilege reader, parquet validator',
  });
  new StatsigS3Ingestion(stack, 'Ingestion');
  return app;
}

if (require.main === module) {
  exampleApp().synth();
}
