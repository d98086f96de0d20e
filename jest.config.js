// Three suites: unit (*.spec.ts, no I/O), integration (*.int-spec.ts, real Postgres and Redis,
// a database per file), e2e (the whole stack through the gateway over HTTP).
const preset = require('./jest.preset');

const roots = ['<rootDir>/apps', '<rootDir>/libs'];

module.exports = {
  // Integration tests meet real servers; the e2e suite sets its own, longer limit.
  testTimeout: 60_000,
  projects: [
    { ...preset, displayName: 'unit', roots, testMatch: ['**/*.spec.ts'] },
    { ...preset, displayName: 'integration', roots: [...roots, '<rootDir>/tools'], testMatch: ['**/*.int-spec.ts'] },
    { ...preset, displayName: 'e2e', roots: ['<rootDir>/e2e'], testMatch: ['**/*.e2e-spec.ts'] },
  ],
};
