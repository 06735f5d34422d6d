// Force UTC so time formatting in tests does not depend on the machine.
process.env.TZ = 'UTC';

const base = require('./.config/jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  displayName: 'grafana-app',
  rootDir: __dirname,
  transform: {
    // Same as the scaffold's, plus React's automatic runtime; also compiles @anomalog/shared (TypeScript).
    '^.+\\.(t|j)sx?$|^.+\\.mjs$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript', tsx: true }, transform: { react: { runtime: 'automatic' } } } },
    ],
  },
  testTimeout: 30000,
};
