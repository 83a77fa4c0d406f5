import AxeBuilder from '@axe-core/playwright';
import { expect, Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { screenshot, SCREENSHOT_DIR } from './helpers';

/** The axe rules the product is held to: WCAG 2.1 A and AA. */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const BLOCKING = new Set(['serious', 'critical']);

/**
 * Every check's findings, kept in e2e-screenshots/axe-report.json so a failing
 * run shows all pages at once and not only the first.
 */
const REPORT = path.join(SCREENSHOT_DIR, 'axe-report.json');

function record(entry: object) {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const all = fs.existsSync(REPORT)
    ? JSON.parse(fs.readFileSync(REPORT, 'utf8'))
    : [];
  all.push(entry);
  fs.writeFileSync(REPORT, JSON.stringify(all, null, 2));
}

/**
 * Runs axe-core on what the page shows now (a page, or a page with its dialog
 * open) and fails on any serious or critical violation, naming the rule, the
 * elements and axe's advice. `E2E_AXE_SOFT=1` records without failing, to
 * survey a page.
 */
export async function expectAccessible(
  page: Page,
  where: string,
  options: { exclude?: string[] } = {},
) {
  // let transitions (dialogs fading in, chips) settle before measuring colours
  await page.waitForTimeout(300);
  let axe = new AxeBuilder({ page })
    .withTags(TAGS)
    // the dev server's error overlay is a developer tool, not the product
    .exclude('#webpack-dev-server-client-overlay');
  for (const selector of options.exclude ?? []) axe = axe.exclude(selector);
  const results = await axe.analyze();
  const blocking = results.violations.filter(v => BLOCKING.has(v.impact ?? ''));
  const findings = blocking.map(v => ({
    rule: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => ({
      target: n.target.join(' '),
      summary: n.failureSummary,
    })),
  }));
  record({
    where,
    viewport: page.viewportSize(),
    url: page.url(),
    findings,
  });
  if (process.env.E2E_AXE_SOFT) return;
  expect(
    findings,
    `axe found serious/critical problems on ${where}:\n${JSON.stringify(
      findings,
      null,
      2,
    )}`,
  ).toEqual([]);
}

/** A screenshot of what a persona sees, and the accessibility check of it. */
export async function checkpoint(
  page: Page,
  name: string,
  options: { height?: number; exclude?: string[] } = {},
) {
  await screenshot(page, name, options);
  await expectAccessible(page, name, options);
}

/**
 * Backstage's own notifications page: its table's draggable column headers
 * (material-table) fail axe, which is upstream's to fix and not the product's;
 * the notices themselves are still checked.
 */
export const NOTIFICATIONS_PAGE = {
  exclude: ['[data-rbd-draggable-id]'],
};
