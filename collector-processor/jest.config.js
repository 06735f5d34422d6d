/** @type {import('jest').Config} */
module.exports = {
  displayName: 'collector-processor',
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest'] },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  // Network tests start real servers; give them room on a 2-core CI machine.
  testTimeout: 60000,
};
