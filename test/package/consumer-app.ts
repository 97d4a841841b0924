import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Apps outside the repo, laid out as a consumer's `npm install` would leave them. The package comes from the
 * tarball `npm pack` makes; everything else is linked from this repo's node_modules, so the test needs no registry
 * (CI has only what `npm ci` installed) and an app holds nothing its package.json would not bring.
 */

export const REPO = join(__dirname, '..', '..');
const REPO_MODULES = join(REPO, 'node_modules');
const PACKAGE_JSON = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  name: string;
  bin: Record<string, string>;
  dependencies?: Record<string, string>;
};
export const PACKAGE_NAME = PACKAGE_JSON.name;

export interface PackedFile {
  readonly path: string;
  readonly size: number;
}

export interface Tarball {
  readonly file: string;
  readonly files: readonly PackedFile[];
  /** Bytes packed. */
  readonly size: number;
  readonly unpackedSize: number;
}

/** `npm pack` of the built repo; scripts skipped because `npm test` has just built it. */
export function pack(destination: string): Tarball {
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', destination], {
    cwd: REPO,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [packed] = JSON.parse(out) as { filename: string; files: PackedFile[]; size: number; unpackedSize: number }[];
  return {
    file: join(destination, packed.filename),
    files: packed.files,
    size: packed.size,
    unpackedSize: packed.unpackedSize,
  };
}

/** Package name in the app to the repo module that provides it: the oldest supported CDK is an npm alias. */
export type Provide = Record<string, string>;

export function link(app: string, name: string, repoModule = name): void {
  const target = join(REPO_MODULES, repoModule);
  if (!existsSync(target)) throw new Error(`${repoModule} is not in the repo's node_modules: run npm ci`);
  const at = join(app, 'node_modules', name);
  mkdirSync(dirname(at), { recursive: true });
  symlinkSync(target, at, 'dir');
}

/**
 * An app with the package installed from the tarball, its dependencies, and `extra` (name to repo module).
 * The package itself is a real folder inside the app, so anything it requires without declaring it fails to
 * resolve, as it would for a consumer.
 */
export function installApp(app: string, tarball: Tarball, extra: Provide): void {
  const installed = join(app, 'node_modules', PACKAGE_NAME);
  mkdirSync(installed, { recursive: true });
  execFileSync('tar', ['-xzf', tarball.file, '-C', installed, '--strip-components=1']);
  for (const name of Object.keys(PACKAGE_JSON.dependencies ?? {})) link(app, name);
  for (const [name, repoModule] of Object.entries(extra)) link(app, name, repoModule);
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'consumer-app', version: '0.0.0', private: true }, null, 2),
  );
}

/** The peers a CDK app brings, at the given aws-cdk-lib (a repo module name). */
export function peers(awsCdkLib: string): Provide {
  return { 'aws-cdk-lib': awsCdkLib, constructs: 'constructs' };
}

/** The test toolchain `cdk init app --language typescript` installs, with ts-jest as its transform. */
export const JEST_TOOLCHAIN: Provide = {
  jest: 'jest',
  'ts-jest': 'ts-jest',
  typescript: 'typescript',
  '@types/jest': '@types/jest',
  '@types/node': '@types/node',
};

/** `cdk init`'s jest.config.js, with ts-jest (older `cdk init` templates' transform) in place of @swc/jest. */
export const STOCK_JEST_CONFIG = `module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\\\.tsx?$': 'ts-jest'
  },
  setupFilesAfterEnv: ['aws-cdk-lib/testhelpers/jest-autoclean'],
};
`;

/** `cdk init`'s tsconfig.json. */
export const STOCK_TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    lib: ['es2022'],
    declaration: true,
    strict: true,
    noImplicitAny: true,
    strictNullChecks: true,
    noImplicitThis: true,
    alwaysStrict: true,
    noImplicitReturns: true,
    inlineSourceMap: true,
    inlineSources: true,
    experimentalDecorators: true,
    strictPropertyInitialization: false,
    skipLibCheck: true,
    typeRoots: ['./node_modules/@types'],
    noEmit: true,
    isolatedModules: true,
    types: ['jest', 'node'],
  },
  exclude: ['node_modules', 'cdk.out'],
};

/** The README's figure in MB that `pattern`'s first group captures, as bytes. */
export function readmeMegabytes(pattern: RegExp): number {
  const match = pattern.exec(readFileSync(join(REPO, 'README.md'), 'utf8'));
  if (!match) throw new Error(`README.md does not say ${pattern}`);
  return Number(match[1]) * 1e6;
}

/** The README's fenced TypeScript blocks whose first line is `// <path>`, by that path. */
export function readmeFiles(): Map<string, string> {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const files = new Map<string, string>();
  for (const [, body] of readme.matchAll(/```ts\n([\s\S]*?)```/g)) {
    const named = /^\/\/ ((?:lib|test|bin)\/[\w./-]+\.ts)\n/.exec(body);
    if (named) files.set(named[1], body);
  }
  return files;
}

export function writeFiles(app: string, files: ReadonlyMap<string, string>): void {
  for (const [path, body] of files) {
    mkdirSync(dirname(join(app, path)), { recursive: true });
    writeFileSync(join(app, path), body);
  }
}

export function copyTests(from: string, to: string): void {
  cpSync(join(from, 'test'), join(to, 'test'), { recursive: true });
  cpSync(join(from, 'lib'), join(to, 'lib'), { recursive: true });
}

export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  /** stdout, stderr and any spawn error, for failure messages. */
  readonly output: string;
}

/** The environment of a consumer's shell: nothing of this repo's on the module path. */
function consumerEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_PATH;
  delete env.NODE_OPTIONS;
  return env;
}

/** The Node.js the apps run on: this one, or another to prove a supported version (README, Supported versions). */
const CONSUMER_NODE = process.env.STATSIG_S3_CONSUMER_NODE || process.execPath;

export function run(cwd: string, args: readonly string[], nodeFlags: readonly string[] = []): Run {
  const result = spawnSync(CONSUMER_NODE, [...nodeFlags, ...args], {
    cwd,
    env: consumerEnv(),
    encoding: 'utf8',
    timeout: 140_000,
  });
  return {
    status: result.status,
    stdout: result.stdout,
    output: `${result.stdout}${result.stderr}${result.error ?? ''}`,
  };
}

/** The app's own jest, with a cache of its own so no transform compiled elsewhere is reused. */
export function jest(app: string, ci: boolean): Run {
  return run(app, [
    join(app, 'node_modules', 'jest', 'bin', 'jest.js'),
    `--ci=${ci}`,
    '--cacheDirectory',
    join(app, '.jest-cache'),
  ]);
}

/** The package's `statsig-s3` as npm would link it into node_modules/.bin. */
export function cliPath(app: string): string {
  return join(app, 'node_modules', PACKAGE_NAME, PACKAGE_JSON.bin['statsig-s3']);
}
