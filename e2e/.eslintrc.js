// e2e/ and e2e-bench/ are no workspace package (no package.json role), so
// their scripts are linted as Node code, the role closest to what they are.
module.exports =
  require('@backstage/cli/config/eslint-factory').createConfigForRole(
    __dirname,
    'node-library',
  );
