// The fuzz suite (issue 10, item 8) is its own step (`npm run test:fuzz`), not part of `npm test`:
// the e2e project's settings (ESM transform, path mapping, migrated test database), its own specs.
const { projects, ...shared } = require('./jest.config.js');

const e2e = projects.find((project) => project.displayName === 'e2e');
// Fastify's inject (light-my-request) loads `cookie`, which is ESM-only since 1.0: transpile it too.
const transformIgnorePatterns = e2e.transformIgnorePatterns.map((p) => p.replace('(?!(', '(?!(cookie|'));

/** @type {import('jest').Config} */
module.exports = {
  ...shared,
  projects: [
    {
      ...e2e,
      displayName: 'fuzz',
      testMatch: ['<rootDir>/apps/api/test/fuzz/**/*.fuzz-spec.ts'],
      transformIgnorePatterns,
    },
  ],
};
