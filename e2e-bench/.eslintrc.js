module.exports = require('../e2e/.eslintrc.js');
