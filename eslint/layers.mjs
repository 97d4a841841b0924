// The layers of docs/architecture (shared/spec/architecture.md) as data: each folder may import only the layers it
// names, and the packages it may load where that matters. One rule reads it, so the direction cannot erode.
import path from 'node:path';

/** Listed most specific first: a file belongs to the first layer whose folder holds it. */
export const LAYERS = [
  { name: 'example app', paths: ['bin/app.ts'], may: ['construct'] },
  {
    name: 'CLI',
    paths: ['bin/statsig-s3.ts', 'bin/cli'],
    // readiness for `status`: it prints what the function decides from, never a second reading of the bucket.
    may: ['readiness', 'bucket services', 'validation core', 'contracts', 'wire'],
  },
  {
    name: 'local run',
    paths: ['bin/local-run.ts', 'bin/local'],
    may: ['handler', 'readiness', 'bucket services', 'validation core', 'contracts', 'wire', 'test doubles'],
  },
  { name: 'construct', paths: ['lib'], may: ['wire'], packages: ['aws-cdk-lib', 'constructs'] },
  {
    name: 'handler',
    paths: ['lambda/handler'],
    may: ['readiness', 'bucket services', 'validation core', 'contracts', 'wire'],
  },
  { name: 'readiness', paths: ['lambda/readiness'], may: ['bucket services', 'validation core', 'contracts', 'wire'] },
  { name: 'bucket services', paths: ['lambda/bucket'], may: ['validation core', 'contracts', 'wire'] },
  { name: 'contracts', paths: ['lambda/validation/contracts'], may: ['wire'], packages: [] },
  {
    name: 'validation core',
    paths: ['lambda/validation'],
    may: ['contracts', 'wire'],
    packages: ['hyparquet', 'hysnappy', 'zod', 'zstddec'],
  },
  { name: 'wire', paths: ['lambda/wire'], may: [], packages: [] },
  {
    name: 'test doubles',
    paths: ['test/doubles'],
    may: ['bucket services', 'validation core', 'contracts', 'wire'],
  },
];

const root = path.resolve(import.meta.dirname, '..');

function layerOf(file) {
  const relative = path.relative(root, file).split(path.sep).join('/');
  return LAYERS.find((layer) =>
    layer.paths.some(
      (p) => relative === p || relative.startsWith(`${p}/`) || relative.replace(/\.ts$/, '') === p.replace(/\.ts$/, ''),
    ),
  );
}

function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

export const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'A layer imports only the layers below it (docs/architecture), and only its own packages.' },
    schema: [],
  },
  create(context) {
    const from = layerOf(context.filename);
    if (!from) return {};
    const check = (node, specifier) => {
      if (typeof specifier !== 'string') return;
      if (specifier.startsWith('.')) {
        const to = layerOf(path.resolve(path.dirname(context.filename), specifier));
        if (to && to !== from && !from.may.includes(to.name)) {
          context.report({
            node,
            message: `The ${from.name} may not import the ${to.name} (${specifier}): layers import only downwards.`,
          });
        }
        return;
      }
      if (from.packages && !specifier.startsWith('node:') && !from.packages.includes(packageName(specifier))) {
        context.report({
          node,
          message: `The ${from.name} may not load "${specifier}": it uses only ${from.packages.join(', ') || 'its own modules'}.`,
        });
      }
    };
    const fromSource = (node) => node.source && check(node, node.source.value);
    return {
      ImportDeclaration: fromSource,
      ExportNamedDeclaration: fromSource,
      ExportAllDeclaration: fromSource,
      ImportExpression: (node) => check(node, node.source.value),
      CallExpression: (node) => {
        if (
          node.callee.type === 'Identifier' &&
          node.callee.name === 'require' &&
          node.arguments[0]?.type === 'Literal'
        ) {
          check(node, node.arguments[0].value);
        }
      },
    };
  },
};
