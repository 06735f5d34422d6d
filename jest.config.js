/** @type {import('jest').Config} */
module.exports = {
  projects: ['<rootDir>/shared', '<rootDir>/collector-processor', '<rootDir>/grafana-app'],
  // testTimeout is a global option: under `projects` Jest ignores the projects' own values, so the
  // browser and service tests (a cold Chromium page, a child service) fell back to 5 s on a loaded CI machine.
  testTimeout: 60000,
};
