// Builds the jsii assembly (`.jsii`) of the construct's public API: what Construct Hub documents, jsii-docgen turns
// into API.md and jsii-pacmak turns into the Python package.
//
// jsii compiles the construct (lib/ and the wire it imports) in a package folder of its own, dist/jsii-package/,
// whose package.json declares the peers only. jsii and jsii-pacmak require every runtime dependency to be a jsii
// module or to be bundled into the tarball; ours (the AWS SDK, hyparquet, zod) serve the CLI and are never loaded by
// the construct (the `house/layers` lint rule holds lib/ to aws-cdk-lib and constructs). Bundling them would put the
// whole AWS SDK into every npm install and stop a consumer's lockfile from deduping it. So the assembly describes the
// construct library, without the CLI: the CLI is an npm tool. The folder is also what the Python package embeds
// (`npm run package:python`): the construct as jsii compiled it and the validator bundle, nothing that needs the
// CLI's dependencies. tsc stays the builder of the npm package's dist/.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const jsiiPackage = path.join(root, 'dist', 'jsii-package');
const SOURCES = ['lib', path.join('lambda', 'wire'), 'README.md', 'LICENSE', 'tsconfig.jsii.json'];
const BUNDLE = path.join('dist', 'lambda-bundle');

const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
// The library without the CLI: no bin, no dependencies, and no scripts that would rebuild this repo when packed.
const library = { ...pkg };
for (const cliOnly of ['bin', 'dependencies', 'scripts']) delete library[cliOnly];

rmSync(jsiiPackage, { recursive: true, force: true });
mkdirSync(jsiiPackage, { recursive: true });
for (const source of [...SOURCES, BUNDLE]) {
  cpSync(path.join(root, source), path.join(jsiiPackage, source), { recursive: true });
}
symlinkSync(path.join(root, 'node_modules'), path.join(jsiiPackage, 'node_modules'), 'dir');
const files = ['.jsii', 'dist/lib', 'dist/lambda/wire', '!dist/**/*.tsbuildinfo', BUNDLE];
writeFileSync(path.join(jsiiPackage, 'package.json'), `${JSON.stringify({ ...library, files }, null, 2)}\n`);

// The dev dependencies are the newest aws-cdk-lib and constructs on purpose; the consumer test proves the oldest the
// peer ranges admit. jsii's end-of-life notice is about jsii itself on Node.js 20, which the package's users still run.
const jsii = spawnSync(
  process.execPath,
  [path.join(root, 'node_modules', 'jsii', 'bin', 'jsii'), '--silence-warnings=metadata/missing-dev-dependency'],
  { cwd: jsiiPackage, stdio: 'inherit', env: { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' } },
);
if (jsii.status !== 0) {
  console.error(`jsii-assembly: jsii exited ${jsii.status ?? jsii.signal}`);
  process.exit(1);
}
copyFileSync(path.join(jsiiPackage, '.jsii'), path.join(root, '.jsii'));
