import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readmeMegabytes, REPO } from './consumer-app';

/**
 * The Python package (`npm run package:python`): jsii-pacmak generates it from the assembly, Python compiles it, a
 * wheel is built. Importing it needs jsii's Python runtime and the aws-cdk-lib and constructs Python packages, which
 * no index this project's machines reach serves, so the wheel is read instead (inspect_wheel.py): its classes and
 * their keyword arguments, its requirements, and the npm tarball it embeds for the jsii runtime to load.
 */

interface PythonClass {
  readonly keywords: string[];
  readonly methods: string[];
}

interface Wheel {
  readonly classes: Record<string, PythonClass>;
  readonly requires: string[];
  readonly embedded: string[];
  readonly readme: { blocks: number; imports: string[]; calls: string[]; keywords: string[] };
}

interface Assembly {
  readonly types: Record<string, { name: string; properties?: { name: string }[] }>;
}

const snakeCase = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

let wheel: Wheel;
let wheelBytes: number;

beforeAll(() => {
  const built = execFileSync(process.execPath, [join(REPO, 'scripts', 'package-python.mjs')], {
    cwd: REPO,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const { wheel: wheelPath, bytes } = JSON.parse(built.trim().split('\n').pop()!) as { wheel: string; bytes: number };
  wheelBytes = bytes;
  const inspected = execFileSync(
    'python3',
    [join(__dirname, 'inspect_wheel.py'), join(REPO, wheelPath), join(REPO, 'README.md')],
    { encoding: 'utf8' },
  );
  wheel = JSON.parse(inspected) as Wheel;
}, 180_000);

test('every type of the assembly is a Python class, every prop a keyword argument of the construct', () => {
  const assembly = JSON.parse(readFileSync(join(REPO, '.jsii'), 'utf8')) as Assembly;
  const types = Object.values(assembly.types);
  expect(Object.keys(wheel.classes)).toEqual(expect.arrayContaining(types.map((type) => type.name)));
  const props = types.find((type) => type.name === 'StatsigS3IngestionProps')!.properties!.map((p) => p.name);
  expect(props.length).toBeGreaterThan(10);
  expect(wheel.classes.StatsigS3Ingestion.keywords).toEqual(expect.arrayContaining(props.map(snakeCase)));
});

test('requires the peers at the npm package’s ranges, and jsii’s runtime', () => {
  expect(wheel.requires).toEqual(expect.arrayContaining(['aws-cdk-lib<3.0.0,>=2.269.0', 'constructs<11.0.0,>=10.5.0']));
  expect(wheel.requires.some((requirement) => requirement.startsWith('jsii<2.0.0,>='))).toBe(true);
});

test('embeds the construct, its assembly and the validator bundle, and no CLI', () => {
  expect(wheel.embedded).toEqual(
    expect.arrayContaining([
      'package/.jsii',
      'package/dist/lib/index.js',
      'package/dist/lambda/wire/config.js',
      'package/dist/lambda-bundle/validator/index.js',
      'package/dist/lambda-bundle/validator/row-group-worker.js',
    ]),
  );
  expect(wheel.embedded.filter((file) => /^package\/(dist\/bin|lib|lambda)\//.test(file))).toEqual([]);
  // "About": within a tenth, like the npm package's figures.
  expect(Math.abs(readmeMegabytes(/Python wheel is about ([\d.]+) MB/) / wheelBytes - 1)).toBeLessThan(0.1);
});

test("the README's Python example uses names and keyword arguments the package has", () => {
  const { blocks, imports, calls, keywords } = wheel.readme;
  expect(blocks).toBeGreaterThan(0);
  expect(imports.length).toBeGreaterThan(0);
  for (const name of imports) expect(Object.keys(wheel.classes)).toContain(name);
  for (const call of calls) {
    const [cls, method] = call.split('.');
    expect(wheel.classes[cls].methods).toContain(method);
  }
  const allKeywords = imports.flatMap((name) => wheel.classes[name].keywords);
  expect(keywords.filter((keyword) => !allKeywords.includes(keyword))).toEqual([]);
});
