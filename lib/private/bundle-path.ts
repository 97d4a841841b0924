import { existsSync } from 'node:fs';
import * as path from 'node:path';

/**
 * The validator bundle built by `scripts/bundle-lambda.mjs`. The package root is found by walking up to
 * package.json, because this file runs from `dist/lib/private/` when compiled and from `lib/private/` under
 * ts-node or ts-jest.
 */
export function validatorBundleDir(): string {
  const bundle = path.join(packageRoot(__dirname), 'dist', 'lambda-bundle', 'validator');
  if (!existsSync(path.join(bundle, 'index.js'))) {
    throw new Error(`The validator Lambda bundle is missing at ${bundle}: run "npm run build" in the package first`);
  }
  return bundle;
}

function packageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`No package.json above ${from}`);
  }
}
