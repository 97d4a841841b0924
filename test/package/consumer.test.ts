import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeDuckDb, writeParquetFile } from '../support/duckdb-parquet';
import {
  cliPath,
  copyTests,
  installApp,
  JEST_TOOLCHAIN,
  jest,
  pack,
  PACKAGE_NAME,
  peers,
  readmeFiles,
  readmeMegabytes,
  REPO,
  run,
  STOCK_JEST_CONFIG,
  STOCK_TSCONFIG,
  type Run,
  type Tarball,
  writeFiles,
} from './consumer-app';

/**
 * Issue 14: the package as a platform team adopts it. The packed tarball, installed into fresh apps outside the
 * repo, runs the README's snapshot recipe under `cdk init`'s jest config on the newest aws-cdk-lib and on the
 * oldest the peer range admits, synthesizes without esbuild and under Node.js 22.0-22.11's `require` rules, passes
 * cdk-nag, and its CLI validates files from a production-only install.
 */

const repoPackage = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  main: string;
  engines: { node: string };
  scripts: Record<string, string>;
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const OLDEST_CDK = 'aws-cdk-lib-lowest';
/** Node.js 22.0-22.11 cannot `require()` an ES module; later lines can, unless told not to like this. */
const WITHOUT_REQUIRE_ESM = ['--no-experimental-require-module'];
/** A jest or synth run in an app loads all of aws-cdk-lib: tens of seconds on a busy machine. */
const SLOW = 150_000;

let work: string;
let tarball: Tarball;
const at = (...parts: string[]) => join(work, ...parts);

function cdkApp(name: string, awsCdkLib: string): string {
  const app = at(name);
  installApp(app, tarball, { ...peers(awsCdkLib), ...JEST_TOOLCHAIN, 'cdk-nag': 'cdk-nag' });
  writeFileSync(join(app, 'jest.config.js'), STOCK_JEST_CONFIG);
  writeFileSync(join(app, 'tsconfig.json'), JSON.stringify(STOCK_TSCONFIG, null, 2));
  copyFileSync(join(__dirname, 'synth-app.js'), join(app, 'synth-app.js'));
  return app;
}

function installedVersion(app: string, name: string): string {
  return (JSON.parse(readFileSync(join(app, 'node_modules', name, 'package.json'), 'utf8')) as { version: string })
    .version;
}

interface Synth {
  readonly error?: string;
  readonly violations: string[];
  readonly esbuild: boolean;
  readonly templates: string[];
  readonly bundles: string[];
}

function synth(app: string, nag: boolean): Synth {
  const result = run(app, [join(app, 'synth-app.js'), join(app, 'cdk.out'), nag ? 'nag' : ''], WITHOUT_REQUIRE_ESM);
  if (result.status !== 0) throw new Error(`synth exited ${result.status}:\n${result.output}`);
  return JSON.parse(result.stdout.trim().split('\n').pop()!) as Synth;
}

function expectPassed(result: Run): void {
  if (result.status !== 0) throw new Error(`exit ${result.status}:\n${result.output}`);
  expect(result.output).toMatch(/Tests:\s+1 passed, 1 total/);
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'statsig-s3-consumer-'));
  tarball = pack(work);
});
afterAll(async () => {
  await closeDuckDb();
  rmSync(work, { recursive: true, force: true });
});

describe('the tarball', () => {
  const RUNS_IN_A_CONSUMER_INSTALL = [
    /^(package\.json|README\.md|LICENSE|\.jsii)$/,
    /^dist\/lib\/.+\.(js|d\.ts)$/,
    /^dist\/lambda\/wire\/.+\.(js|d\.ts)$/,
    /^dist\/lambda\/bucket\/.+\.js$/,
    /^dist\/lambda\/readiness\/.+\.js$/,
    /^dist\/lambda\/validation\/.+\.js$/,
    /^dist\/bin\/statsig-s3\.js$/,
    /^dist\/bin\/cli\/.+\.js$/,
    /^dist\/lambda-bundle\/validator\/(index|row-group-worker)\.js$/,
  ];

  test('ships the construct, its types and jsii assembly, the CLI, the validator bundle and the license, nothing else', () => {
    const paths = tarball.files.map((file) => file.path);
    expect(paths.filter((path) => !RUNS_IN_A_CONSUMER_INSTALL.some((allowed) => allowed.test(path)))).toEqual([]);
    expect(paths).toEqual(
      expect.arrayContaining([
        'LICENSE',
        '.jsii',
        repoPackage.main,
        'dist/lib/index.d.ts',
        'dist/bin/statsig-s3.js',
        'dist/lambda-bundle/validator/index.js',
        'dist/lambda-bundle/validator/row-group-worker.js',
      ]),
    );
    expect(readFileSync(join(REPO, 'LICENSE'), 'utf8')).toMatch(/Apache License\s+Version 2\.0/);
  });

  test('claims in engines the Node.js lines npm run test:node-versions runs this test on, as the README lists them', () => {
    const { dependencies } = JSON.parse(
      readFileSync(join(REPO, 'test', 'package', 'node-versions', 'package.json'), 'utf8'),
    ) as { dependencies: Record<string, string> };
    const versions = Object.values(dependencies).map((spec) => spec.slice(spec.lastIndexOf('@') + 1));
    const lines = versions.map((version) => Number(version.split('.')[0]));
    const [lowest, lowestRequiringEsm] = versions;
    expect(repoPackage.engines.node).toBe(`^${lowest} || >=${lowestRequiringEsm}`);
    const evenLines = Array.from({ length: (Math.max(...lines) - lines[0]) / 2 + 1 }, (_, i) => lines[0] + 2 * i);
    expect(lines).toEqual(evenLines);
    const readmeRow = readFileSync(join(REPO, 'README.md'), 'utf8').match(/^\| Node\.js .*$/m)![0];
    expect(readmeRow.match(/\d+\.\d+\.\d+/g)).toEqual([lowest, lowestRequiringEsm, ...versions]);
  });

  test('is as large as the README says', () => {
    const sizeOf = (path: string) => tarball.files.find((file) => file.path === path)!.size;
    const bundle =
      sizeOf('dist/lambda-bundle/validator/index.js') + sizeOf('dist/lambda-bundle/validator/row-group-worker.js');
    const figures: [RegExp, number][] = [
      [/npm package is about ([\d.]+) MB packed/, tarball.size],
      [/([\d.]+) MB installed/, tarball.unpackedSize],
      [/validator bundle is\s+([\d.]+) MB/, bundle],
      [/jsii assembly ([\d.]+) MB/, sizeOf('.jsii')],
      [/lambda-bundle\/validator`, about ([\d.]+) MB/, bundle],
    ];
    for (const [pattern, measured] of figures) {
      // "About": within a tenth, so the figures need updating when the package grows, not with every change.
      expect({ pattern, ratio: Math.abs(readmeMegabytes(pattern) / measured - 1) < 0.1 }).toEqual({
        pattern,
        ratio: true,
      });
    }
  });

  test('runs no lifecycle script on a consumer install', () => {
    const installScripts = ['preinstall', 'install', 'postinstall', 'prepare'];
    expect(Object.keys(repoPackage.scripts).filter((script) => installScripts.includes(script))).toEqual([]);
  });
});

describe('a production-only install', () => {
  let prod: string;
  beforeAll(async () => {
    prod = at('production');
    installApp(prod, tarball, {});
    mkdirSync(join(prod, 'metrics', '2024-01-02'), { recursive: true });
    const metrics = (idType: string) =>
      `SELECT 'u' || range AS unit_id, '${idType}' AS id_type, DATE '2024-01-02' AS date, 'revenue' AS metric_name,
              range::DOUBLE AS metric_value, NULL::DOUBLE AS numerator, NULL::DOUBLE AS denominator FROM range(20)`;
    await writeParquetFile(metrics('user_id'), {}, join(prod, 'metrics', '2024-01-02', 'good.parquet'));
    await writeParquetFile(metrics(''), {}, join(prod, 'metrics', '2024-01-02', 'bad.parquet'));
  });

  test('loads every shipped module of the CLI and the validation core, without aws-cdk-lib', () => {
    // Entry scripts run rather than load: the CLI's bin below, the decoder process's entry (it needs its IPC channel)
    // in every validate, and the bundle in Lambda (test/handler/bundle.test.ts).
    const entries = ['dist/bin/statsig-s3.js', 'dist/lambda/validation/worker/row-group-worker.js'];
    const modules = tarball.files
      .map((file) => file.path)
      .filter((path) => /^dist\/(bin|lambda)\/.+\.js$/.test(path) && !entries.includes(path));
    expect(modules.length).toBeGreaterThan(20);
    const load = `for (const m of ${JSON.stringify(modules)}) require('${PACKAGE_NAME}/' + m); process.exit(0);`;
    const result = run(prod, ['-e', load]);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
    expect(existsSync(join(prod, 'node_modules', 'aws-cdk-lib'))).toBe(false);
  });

  test('statsig-s3 validate passes a good file and rejects a bad one with the rule', () => {
    const good = run(prod, [cliPath(prod), 'validate', join('metrics', '2024-01-02', 'good.parquet'), '--json']);
    expect(good.status).toBe(0);
    expect(JSON.parse(good.stdout)).toEqual([expect.objectContaining({ valid: true, rows: 20 })]);

    const bad = run(prod, [cliPath(prod), 'validate', join('metrics', '2024-01-02', 'bad.parquet'), '--json']);
    expect(bad.status).toBe(1);
    const [report] = JSON.parse(bad.stdout) as { valid: boolean; errors: { column?: string }[] }[];
    expect(report.valid).toBe(false);
    expect(report.errors).toEqual(expect.arrayContaining([expect.objectContaining({ column: 'id_type' })]));
  });
});

describe('a CDK app on the newest aws-cdk-lib, and on the oldest the peer range admits', () => {
  let newest: string;
  let firstRun: Run;
  beforeAll(() => {
    newest = cdkApp('newest', 'aws-cdk-lib');
    const readme = readmeFiles();
    expect([...readme.keys()].sort()).toEqual(['lib/my-stack.ts', 'test/my-stack.test.ts']);
    writeFiles(newest, readme);
    firstRun = jest(newest, false);
  }, SLOW);

  test("every shipped module of the construct loads under Node.js 22.0-22.11's require rules", () => {
    const modules = tarball.files.map((file) => file.path).filter((path) => /^dist\/lib\/.+\.js$/.test(path));
    const load = `for (const m of ${JSON.stringify(modules)}) require('${PACKAGE_NAME}/' + m); process.exit(0);`;
    const result = run(newest, ['-e', load], WITHOUT_REQUIRE_ESM);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  test("the README's snapshot recipe passes under cdk init's jest config", () => {
    expect(installedVersion(newest, 'aws-cdk-lib')).toBe(repoPackage.devDependencies['aws-cdk-lib']);
    expectPassed(firstRun);
    const snapshot = readFileSync(join(newest, 'test', '__snapshots__', 'my-stack.test.ts.snap'), 'utf8');
    expect(snapshot).toContain('AWS::S3::Bucket');
    expect(snapshot).toContain('<asset-hash>');
    expect(snapshot).not.toContain(work);
  });

  test(
    'and matches that snapshot from a second path, on the oldest aws-cdk-lib the peer range admits',
    () => {
      const oldest = cdkApp('oldest', OLDEST_CDK);
      expect(repoPackage.peerDependencies['aws-cdk-lib']).toBe(`^${installedVersion(oldest, 'aws-cdk-lib')}`);
      copyTests(newest, oldest);
      expectPassed(jest(oldest, true));
    },
    SLOW,
  );

  test(
    'synth needs no esbuild and cdk-nag v3 reports no unacknowledged finding',
    () => {
      const synthesized = synth(newest, true);
      expect(synthesized.esbuild).toBe(false);
      expect(synthesized.error).toBeUndefined();
      expect(synthesized.violations).toEqual([]);
      expect(synthesized.templates.sort()).toEqual([
        'Defaults.template.json',
        'Imported.template.json',
        'Principal.template.json',
      ]);
      expect(synthesized.bundles).toHaveLength(1);
    },
    SLOW,
  );
});
