import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './e2e/chromium';

/**
 * Browser walkthrough against the running demo (sandbox + backend + app),
 * in Debian's Chromium; no browser is ever downloaded. `scripts/test` starts
 * the demo on its own ports and sets E2E_APP_URL / E2E_BACKEND_URL.
 */
export default defineConfig({
  testDir: 'e2e',
  timeout: 120_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: process.env.E2E_JSON_REPORT
    ? [['list'], ['json', { outputFile: process.env.E2E_JSON_REPORT }]]
    : [['list']],
  outputDir: 'test-results/e2e',
  use: {
    baseURL: process.env.E2E_APP_URL ?? 'http://localhost:3000',
    screenshot: 'only-on-failure',
    trace: 'off',
    launchOptions: chromiumLaunchOptions,
    viewport: { width: 1440, height: 900 },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
});
