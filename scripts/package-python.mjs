// The Python package: jsii-pacmak generates it from the jsii package folder `npm run build` writes
// (dist/jsii-package/, see jsii-assembly.mjs), Python compiles every generated module, and a wheel is built into
// dist/packages/python-wheel/.
//
// pacmak's own wheel step installs its pinned build tools (setuptools 75.3, build, twine) from PyPI; this step
// builds the wheel with pip and a pinned setuptools in a virtual environment of its own instead, so it works
// wherever pip reaches any index that serves setuptools. Prints one JSON line: the wheel and its size.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const jsiiPackage = path.join(root, 'dist', 'jsii-package');
const out = path.join(root, 'dist', 'packages');
const source = path.join(out, 'python');
const wheels = path.join(out, 'python-wheel');
const venv = path.join(out, 'python-build-env');
const SETUPTOOLS = 'setuptools==84.0.0';
const PYTHON = process.env.PYTHON ?? 'python3';

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], ...options });
  if (result.status !== 0) {
    console.error(
      `package-python: ${command} ${args.join(' ')} exited ${result.status ?? result.error ?? result.signal}`,
    );
    process.exit(1);
  }
}

if (!existsSync(path.join(jsiiPackage, '.jsii'))) {
  console.error('package-python: no jsii package: run "npm run build" first');
  process.exit(1);
}
rmSync(out, { recursive: true, force: true });

const pacmak = path.join(root, 'node_modules', 'jsii-pacmak', 'bin', 'jsii-pacmak');
run(process.execPath, [pacmak, jsiiPackage, '--targets', 'python', '--code-only', '--outdir', out], {
  env: { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' },
});
run(PYTHON, ['-m', 'compileall', '-q', path.join(source, 'src')]);

const venvPython = path.join(venv, 'bin', 'python');
run(PYTHON, ['-m', 'venv', venv]);
run(venvPython, ['-m', 'pip', 'install', '--quiet', '--retries', '0', SETUPTOOLS]);
run(venvPython, ['-m', 'pip', 'wheel', '--quiet', '--no-deps', '--no-build-isolation', '--wheel-dir', wheels, source]);

const [wheel] = readdirSync(wheels).filter((file) => file.endsWith('.whl'));
const wheelPath = path.join(wheels, wheel);
console.log(JSON.stringify({ wheel: path.relative(root, wheelPath), bytes: statSync(wheelPath).size }));
