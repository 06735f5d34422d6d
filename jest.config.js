/** @type {import('jest').Config} */
module.exports = {
  projects: ['<rootDir>/shared', '<rootDir>/collector-processor', '<rootDir>/grafana-app'],
  // testTimeout is a global option: under `projects` Jest ignores the projects' own values. It is the
  // ceiling of the quick suites; a slow suite (a cold Chromium page, a child service, a whole corpus)
  // sets its own with jest.setTimeout, so a test that turns slow fails in a suite that says it is quick.
  testTimeout: 30000,
};
