/** @type {import('jest').Config} */
module.exports = {
  projects: ['<rootDir>/shared', '<rootDir>/collector-processor', '<rootDir>/grafana-app'],
};
