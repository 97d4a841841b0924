import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from './consumer-app';

/**
 * The jsii assembly `npm run build` writes is the public API that Construct Hub documents and jsii-pacmak turns into
 * the Python package: every name lib/index.ts exports, depending on the peers only. API.md is rendered from it.
 */

interface Assembly {
  readonly name: string;
  readonly types: Record<string, { readonly name: string }>;
  readonly dependencies: Record<string, string>;
  readonly targets: Record<string, unknown>;
}

const ASSEMBLY = join(REPO, '.jsii');
const repoPackage = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  name: string;
  peerDependencies: Record<string, string>;
};

function assembly(): Assembly {
  if (!existsSync(ASSEMBLY)) throw new Error('no .jsii assembly: run npm run build');
  return JSON.parse(readFileSync(ASSEMBLY, 'utf8')) as Assembly;
}

/** The names lib/index.ts exports, values and types alike. */
function exportedNames(): string[] {
  const index = readFileSync(join(REPO, 'lib', 'index.ts'), 'utf8');
  return [...index.matchAll(/export (?:type )?\{([^}]+)\}/g)].flatMap(([, names]) =>
    names.split(',').map((name) => name.trim()),
  );
}

test('the assembly holds every name the package exports, and depends on its peers only', () => {
  const { name, types, dependencies, targets } = assembly();
  expect(name).toBe(repoPackage.name);
  const names = exportedNames();
  expect(names.length).toBeGreaterThan(5);
  expect(Object.values(types).map((type) => type.name)).toEqual(expect.arrayContaining(names));
  expect(dependencies).toEqual(repoPackage.peerDependencies);
  expect(Object.keys(targets).sort()).toEqual(['js', 'python']);
});

test('API.md is what jsii-docgen renders from the assembly (npm run api-docs rewrites it)', () => {
  const out = mkdtempSync(join(tmpdir(), 'statsig-s3-api-'));
  try {
    const docgen = join(REPO, 'node_modules', 'jsii-docgen', 'bin', 'jsii-docgen');
    execFileSync(process.execPath, [docgen, '-o', join(out, 'API.md')], { cwd: REPO, stdio: 'ignore' });
    expect(readFileSync(join(out, 'API.md'), 'utf8')).toBe(readFileSync(join(REPO, 'API.md'), 'utf8'));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
