// Pre-bundles the validator Lambda at package build time, so a consumer's `cdk synth` needs neither esbuild nor
// Docker: the construct only points `lambda.Code.fromAsset` at the output directory.
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist', 'lambda-bundle', 'validator');

// The output names matter: the handler's decoder starts `row-group-worker.js` from its own directory
// (COMPILED_DECODER_SCRIPT in lambda/validation/worker/decoder-script.ts).
const entryPoints = {
  index: 'lambda/handler/index.ts',
  'row-group-worker': 'lambda/validation/worker/row-group-worker.ts',
};

const missing = Object.values(entryPoints).filter((entry) => !existsSync(path.join(root, entry)));
if (missing.length > 0) {
  console.error(`bundle-lambda: missing Lambda entry point(s): ${missing.join(', ')}`);
  process.exit(1);
}

// A stale file from an earlier build would ship inside the asset and change its hash.
await rm(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints,
  outdir,
  // Everything is bundled, @aws-sdk included: the runtime's built-in SDK version is not ours to choose.
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'cjs',
  minify: true,
  // The ES module builds tree-shake: the AWS SDK's CommonJS builds cost the bundle a quarter more.
  mainFields: ['module', 'main'],
  sourcemap: false,
  logLevel: 'warning',
});
console.log(`bundle-lambda: wrote ${path.relative(root, outdir)}`);
