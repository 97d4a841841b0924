import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { configToEnvironment, validatorConfig } from '../lambda/wire/config';

const BUNDLE_DIR = join(__dirname, '..', 'lambda-bundle', 'validator');

/** The environment the construct gives the function, with made-up names: initialisation must not call AWS. */
const LAMBDA_ENV: Record<string, string> = {
  ...configToEnvironment(
    validatorConfig({ eventBusName: 'default', alertsTopicArn: 'arn:aws:sns:us-east-1:123456789012:alerts' }),
  ),
  AWS_REGION: 'us-east-1',
};

export interface LambdaFigures {
  readonly bundleBytes: number;
  readonly workerBytes: number;
  readonly initMs: number[];
}

/** Bundle size, and module initialisation measured in fresh processes (median of several). */
export function measureLambda(runs = 7): LambdaFigures {
  const entry = join(BUNDLE_DIR, 'index.js');
  const script = `const t = process.hrtime.bigint(); require(${JSON.stringify(entry)}); console.log(Number(process.hrtime.bigint() - t) / 1e6);`;
  const initMs = Array.from({ length: runs }, () =>
    Number(
      execFileSync(process.execPath, ['-e', script], {
        env: { ...process.env, ...LAMBDA_ENV },
        encoding: 'utf8',
      }).trim(),
    ),
  ).sort((a, b) => a - b);
  return {
    bundleBytes: statSync(entry).size,
    workerBytes: statSync(join(BUNDLE_DIR, 'row-group-worker.js')).size,
    initMs,
  };
}
