/*
 * How every browser run in this repo launches Chromium: Debian's package
 * (never a downloaded browser; CHROMIUM_PATH points elsewhere), headless,
 * with nothing that calls home. Used by playwright.config.ts,
 * e2e-bench/picker.ts and tools/adopter-check; plain CommonJS so the adopter
 * check's JavaScript can require it as it is.
 */
const chromiumExecutablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const chromiumLaunchOptions = {
  executablePath: chromiumExecutablePath,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

module.exports = { chromiumExecutablePath, chromiumLaunchOptions };
