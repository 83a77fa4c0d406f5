import { expect, Locator, Page } from '@playwright/test';
import fs from 'node:fs';
import { checkpoint } from '../a11y';

/*
 * carol audits alice's PowerUserAccess request: she finds it by requester,
 * downloads the requests CSV, reads and searches the session's CloudTrail
 * activity, downloads that as CSV and goes back to the filtered list.
 */

/** Clicks the button that downloads a file and returns the file's text. */
async function downloadedText(page: Page, button: string): Promise<string> {
  const file = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: button }).click(),
  ]).then(([download]) => download.path());
  return fs.readFileSync(file!, 'utf8');
}

/** carol picks alice as requester; returns the payments-prod request's row. */
export async function findAlicesRequest(page: Page): Promise<Locator> {
  await page.goto('/elevated-access/audit');
  // the requester is picked by name from the catalog: "ali" finds alice
  await page.getByLabel('Requester').fill('ali');
  await page.getByRole('option', { name: /Alice Requester/ }).click();
  await expect(page).toHaveURL(/requester=user%3Adefault%2Falice/);
  await expect(page.getByText('All requests')).toBeVisible();
  const row = page.getByRole('row', { name: /payments-prod/ }).first();
  await expect(row).toBeVisible();
  await checkpoint(page, '08-audit');
  return row;
}

/** The requests CSV holds the request, its justification and bob's approval. */
export async function expectRequestsCsv(page: Page, requestId: string) {
  const requestsText = await downloadedText(page, 'Requests CSV');
  expect(requestsText.split('\n')[0]).toContain(
    'id,created_at,requester,account_id',
  );
  expect(requestsText).toContain(requestId);
  expect(requestsText).toContain('Hotfix the payment pipeline (INC-42)');
  expect(requestsText).toContain(
    'user:default/bob approve: Go ahead, keep it short',
  );
}

/**
 * carol opens the request from `row`: its activity shows alice's events in
 * both regions, the search narrows them, the CSV holds what the search shows,
 * and the breadcrumb leads back to the filtered list.
 */
export async function expectActivityAndItsCsv(
  page: Page,
  row: Locator,
  requestId: string,
) {
  // opening the request from the filtered list keeps the way back
  await row.getByRole('link').first().click();
  await expect(page).toHaveURL(new RegExp(`/requests/${requestId}`));
  // collected by the activity task (every few seconds in the demo)
  await expect(page.getByText('PutBucketPolicy')).toBeVisible({
    timeout: 90_000,
  });
  await expect(page.getByText('StartPipelineExecution')).toBeVisible();
  // each event shows the region it happened in
  await expect(page.getByText('eu-west-1').first()).toBeVisible();
  await expect(page.getByText('us-east-1').first()).toBeVisible();
  await checkpoint(page, '09-request-activity', { height: 1500 });
  await page.getByLabel('Search activity').fill('bucketpolicy');
  await expect(page.getByText('PutBucketPolicy')).toBeVisible();
  await expect(page.getByText('StartPipelineExecution')).toHaveCount(0);
  await checkpoint(page, '10-activity-search', { height: 1500 });

  const activityText = await downloadedText(page, 'Download CSV');
  const lines = activityText.trim().split('\n');
  expect(lines[0]).toBe(
    'request_id,account_id,requester,event_time,region,event_name,event_source,resources,source_ip,user_agent,read_only,error_code,after_access_ended,event_id',
  );
  // the download is what the screen shows: the search's one event
  expect(lines.length).toBe(2);
  expect(activityText).toContain('PutBucketPolicy');
  expect(activityText).not.toContain('StartPipelineExecution');
  expect(lines[1]).toContain(',us-east-1,');
  expect(activityText).toContain('203.0.113.10');
  // the breadcrumb leads back to Audit with alice still picked
  await page.getByTestId('request-back').click();
  await expect(page).toHaveURL(/\/audit\?.*requester=user%3Adefault%2Falice/);
  await expect(page.getByLabel('Requester')).toHaveValue(/Alice/);
}
