// Shared Jest settings: TypeScript through SWC (legacy decorators with metadata, as Nest needs)
// and the @o2o/* path aliases.
const path = require('node:path');

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        swcrc: false,
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
          target: 'es2022',
          keepClassNames: true,
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@o2o/(contracts|platform|testing)$': path.join(__dirname, 'libs/$1/src/index.ts'),
  },
  setupFiles: ['reflect-metadata'],
};
