// Builds the jsii assembly (`.jsii`) of the construct's public API: what Construct Hub documents, jsii-docgen turns
// into API.md and jsii-pacmak turns into the Python package.
//
// jsii compiles a copy of the construct's sources (lib/ and the wire it imports) in a folder of its own, under a
// package.json that declares the peers only. jsii requires every runtime dependency to be a jsii module or to be
// bundled into the tarball; ours (the AWS SDK, hyparquet, zod) serve the CLI and are never loaded by the construct
// (the `house/layers` lint rule holds lib/ to aws-cdk-lib and constructs). Bundling them would put the whole AWS SDK
// into every install and stop a consumer's lockfile from deduping it. tsc stays the builder of dist/: jsii's own
// JavaScript output is discarded, only the assembly is kept.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = ['lib', path.join('lambda', 'wire')];

const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const staging = mkdtempSync(path.join(tmpdir(), 'statsig-s3-jsii-'));
try {
  for (const source of SOURCES) cpSync(path.join(root, source), path.join(staging, source), { recursive: true });
  for (const file of ['README.md', 'tsconfig.jsii.json']) copyFileSync(path.join(root, file), path.join(staging, file));
  symlinkSync(path.join(root, 'node_modules'), path.join(staging, 'node_modules'), 'dir');
  writeFileSync(path.join(staging, 'package.json'), JSON.stringify({ ...pkg, dependencies: {} }, null, 2));

  // The dev dependencies are the newest aws-cdk-lib and constructs on purpose; the consumer test proves the oldest
  // the peer ranges admit. jsii's end-of-life notice is about jsii itself on Node.js 20, which the package's users
  // still run.
  const jsii = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules', 'jsii', 'bin', 'jsii'), '--silence-warnings=metadata/missing-dev-dependency'],
    { cwd: staging, stdio: 'inherit', env: { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' } },
  );
  if (jsii.status !== 0) {
    console.error(`jsii-assembly: jsii exited ${jsii.status ?? jsii.signal}`);
    process.exit(1);
  }
  copyFileSync(path.join(staging, '.jsii'), path.join(root, '.jsii'));
} finally {
  rmSync(staging, { recursive: true, force: true });
}
