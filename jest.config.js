// Three suites: unit (*.spec.ts, no I/O), integration (*.int-spec.ts, real Postgres and Redis,
// a database per file), e2e (the whole stack through the gateway over HTTP).
const preset = require('./jest.preset');

const roots = ['<rootDir>/apps', '<rootDir>/libs'];

module.exports = {
  projects: [
    { ...preset, displayName: 'unit', roots, testMatch: ['**/*.spec.ts'] },
    { ...preset, displayName: 'integration', roots: [...roots, '<rootDir>/tools'], testMatch: ['**/*.int-spec.ts'], testTimeout: 60_000 },
    { ...preset, displayName: 'e2e', roots: ['<rootDir>/e2e'], testMatch: ['**/*.e2e-spec.ts'], testTimeout: 180_000 },
  ],
};
