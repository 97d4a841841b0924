/** hyparquet and its codecs ship as ES modules only, and so does zod's per-locale entry: ts-jest turns them into CommonJS. */
const esmPackages = ['hyparquet', 'hyparquet-writer', 'hysnappy', 'zod'];

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.[tj]s$': [
      'ts-jest',
      {
        tsconfig: { allowJs: true, module: 'commonjs', sourceMap: true, isolatedModules: true },
        diagnostics: { ignoreCodes: [151001] },
      },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
  testTimeout: 60000,
};
