/** @type {import('jest').Config} */
export default {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__', '<rootDir>/__fixtures__'],
  testMatch: ['**/*.test.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.test.json' }]
  },
  testTimeout: 30000,
  // Says once when end-to-end tests cannot run the bundle under Node 24 (harness/action-node.ts), and gives the run a
  // temp folder of its own that must be empty at the end (global-teardown.ts). The harness (harness/) is not a root:
  // it holds no tests, and ts-jest compiles it where tests import it.
  globalSetup: '<rootDir>/__tests__/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/__tests__/helpers/global-teardown.ts'
}
