const { createConfigForRole } = require('@backstage/cli/config/eslint-factory');

// Each package has its own config; this one only lints the root's own
// Playwright config (as Node code). ignorePatterns cannot sit in an override.
const { ignorePatterns: _ignored, ...nodeConfig } = createConfigForRole(
  __dirname,
  'node-library',
);

module.exports = {
  root: true,
  overrides: [{ files: ['playwright.config.ts'], ...nodeConfig }],
};
