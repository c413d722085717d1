// Nest 12 packages are ESM-only: @swc/jest transpiles them too (DESIGN.md §9).
const esmOnly = [
  '@nestjs',
  'content-disposition',
  'file-type',
  'strtok3',
  'token-types',
  '@tokenizer',
  'uint8array-extras',
  '@borewit',
  'nestjs-pino',
];

const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  },
];

const common = {
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  moduleNameMapper: {
    '^@app/(config|database|users|content|caching|monitoring|redis)$': '<rootDir>/libs/$1/src',
  },
  testEnvironment: 'node',
  setupFiles: ['<rootDir>/apps/api/test/setup-env.ts'],
};

// Tiers as in immich's server/ (DESIGN.md §2): `unit` needs no running service at all; `medium`
// talks to the real PostgreSQL and Redis (repositories, the Redis cache tier, private servers for
// outages); `e2e` runs the production app against them.
const migrateOnce = '<rootDir>/test-support/migrate-test-database.ts';

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/src/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'medium',
      testMatch: ['<rootDir>/{apps,libs}/**/*.medium-spec.ts'],
      globalSetup: migrateOnce,
    },
    // Deployment files (rules, dashboard, rendered Kubernetes manifests) checked with real tools
    // (`kubectl kustomize`); no database needed.
    { ...common, displayName: 'deploy', testMatch: ['<rootDir>/docker/test/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/apps/api/test/**/*.e2e-spec.ts'],
      globalSetup: migrateOnce,
    },
  ],
  testTimeout: 30000,
};
