// Runs the consumer test (test/package/consumer.test.ts) on every Node.js the package claims in `engines`: the
// binaries are npm packages pinned in test/package/node-versions/, installed from its lockfile. Jest itself runs on
// this Node.js; the consumer apps (their jest, synth, cdk-nag, the CLI) run on the binary under test. Needs the build
// `npm test` makes.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const versionsDir = path.join(root, 'test', 'package', 'node-versions');
const { dependencies } = JSON.parse(readFileSync(path.join(versionsDir, 'package.json'), 'utf8'));

if (!existsSync(path.join(root, '.jsii'))) {
  console.error('test-node-versions: the package is not built: run "npm run build" first');
  process.exit(1);
}
const install = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--ignore-scripts'], {
  cwd: versionsDir,
  stdio: 'inherit',
});
if (install.status !== 0) process.exit(1);

const results = [];
for (const [alias, spec] of Object.entries(dependencies)) {
  const version = spec.slice(spec.lastIndexOf('@') + 1);
  const node = path.join(versionsDir, 'node_modules', alias, 'bin', 'node');
  const reported = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout?.trim();
  if (reported !== `v${version}`) {
    results.push({ version, passed: false, why: `${node} reports ${reported}` });
    continue;
  }
  console.log(`\n# the consumer test on Node.js ${version}`);
  const jest = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules', 'jest', 'bin', 'jest.js'), 'test/package/consumer.test.ts'],
    { cwd: root, stdio: 'inherit', env: { ...process.env, STATSIG_S3_CONSUMER_NODE: node } },
  );
  results.push({ version, passed: jest.status === 0, why: `jest exited ${jest.status ?? jest.signal}` });
}

for (const { version, passed, why } of results)
  console.log(`Node.js ${version}: ${passed ? 'passed' : `FAILED (${why})`}`);
const failed = results.filter((result) => !result.passed).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
