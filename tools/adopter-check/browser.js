/*
 * The adopter check's browser step: headless Chromium (the system's, never a
 * downloaded one) opens the fresh app's Elevated access page, signs in as the
 * template's guest, and checks what an adopter would look at first:
 * - the page renders (heading, the requester's tabs, the Admin tab for the
 *   guest that the guide's sandbox config makes an admin);
 * - GET /api/elevated-access/me answers 200 for the signed-in catalog user;
 * - the Admin tab loads the AWS sandbox's organisation
 *   (GET /api/elevated-access/targets answers 200 with its accounts).
 *
 *   node browser.js <baseUrl> <screenshot.png> <expectedUserRef>
 */
const { chromium } = require('playwright-core');
const { chromiumLaunchOptions } = require('../../e2e/chromium');

async function main() {
  const [baseUrl, screenshot, expectedUser] = process.argv.slice(2);
  const browser = await chromium.launch(chromiumLaunchOptions);
  const timeout = 60_000;
  const pageErrors = [];
  const api = [];
  try {
    const page = await browser.newPage({
      viewport: { width: 1400, height: 900 },
    });
    page.setDefaultTimeout(timeout);
    page.on('pageerror', e => pageErrors.push(e.message));
    page.on('response', r => {
      if (r.url().includes('/api/elevated-access/')) api.push(r);
    });
    const waitForApi = (path, what) =>
      page
        .waitForResponse(
          r => new URL(r.url()).pathname === `/api/elevated-access${path}`,
          { timeout },
        )
        .catch(() => {
          throw new Error(`the page never called ${path} (${what})`);
        });

    await page.goto(`${baseUrl}/elevated-access`);
    // The template's sign-in page: one Guest card with an Enter button
    await page.getByRole('button', { name: /enter/i }).click();

    const me = await waitForApi('/me', 'the signed-in user');
    if (me.status() !== 200) {
      throw new Error(
        `GET /api/elevated-access/me answered ${me.status()}: ${await me.text()}`,
      );
    }
    const meBody = await me.json();
    const user = meBody.me?.userEntityRef ?? meBody.userEntityRef;
    console.log(`GET /api/elevated-access/me 200 (signed in as ${user})`);
    if (expectedUser && user !== expectedUser) {
      throw new Error(
        `signed in as ${user}, not the catalog user ${expectedUser}`,
      );
    }

    await page
      .getByRole('heading', { name: 'Elevated access' })
      .first()
      .waitFor();
    for (const tab of ['My requests', 'Active access']) {
      await page.getByRole('tab', { name: tab }).waitFor();
    }
    // "Request access" is offered only to someone eligible for something
    // (a fresh install has no policy yet)
    const canRequest = (meBody.me ?? meBody).canRequest;
    const requestTabs = await page
      .getByRole('tab', { name: 'Request access' })
      .count();
    if (requestTabs !== (canRequest ? 1 : 0)) {
      throw new Error(
        `the Request access tab is ${
          requestTabs ? 'shown' : 'missing'
        } while /me says canRequest=${canRequest}`,
      );
    }
    console.log(
      `page: heading and the requester tabs render (Request access ${
        canRequest ? 'offered' : 'not offered: eligible for nothing yet'
      })`,
    );

    const targets = waitForApi('/targets', 'the Admin tab');
    await page.getByRole('tab', { name: 'Admin' }).click();
    const answer = await targets;
    if (answer.status() !== 200) {
      throw new Error(
        `GET /api/elevated-access/targets answered ${answer.status()}: ${await answer.text()}`,
      );
    }
    const accounts = (await answer.json()).accounts.map(a => a.name);
    if (!accounts.length) throw new Error('the sandbox has no accounts');
    console.log(
      `GET /api/elevated-access/targets 200: ${
        accounts.length
      } sandbox accounts (${accounts.join(', ')})`,
    );
    await page.getByRole('tab', { name: 'Eligibility policies' }).waitFor();
    await page.screenshot({ path: screenshot, fullPage: true });
    console.log(`screenshot: ${screenshot}`);

    const failed = api.filter(r => r.status() >= 400);
    if (failed.length) {
      throw new Error(
        `API calls failed: ${failed
          .map(r => `${r.status()} ${r.url()}`)
          .join(', ')}`,
      );
    }
    if (pageErrors.length) {
      throw new Error(`page errors: ${pageErrors.join('; ')}`);
    }
  } catch (e) {
    const pages = browser.contexts().flatMap(c => c.pages());
    if (pages[0] && screenshot) {
      await pages[0]
        .screenshot({ path: screenshot.replace(/\.png$/, '-failed.png') })
        .catch(() => {});
    }
    throw e;
  } finally {
    await browser.close();
  }
}

main().catch(e => {
  console.error(`browser check failed: ${e.message}`);
  process.exit(1);
});
