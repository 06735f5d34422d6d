import { test, expect, API_TOKEN, PROCESSOR_URL } from './fixtures';

test('saves the processor URL and token, and the connection test passes', async ({ appConfigPage, page }) => {
  const saveButton = page.getByRole('button', { name: /Save API settings/i });

  // reset the configured secret
  await page.getByRole('button', { name: /reset/i }).click();

  await page.getByRole('textbox', { name: 'API token' }).fill(API_TOKEN);
  await page.getByRole('textbox', { name: 'Processor URL' }).clear();
  await page.getByRole('textbox', { name: 'Processor URL' }).fill(PROCESSOR_URL);

  // listen for the server response on the saved form
  const saveResponse = appConfigPage.waitForSettingsResponse();
  await saveButton.click();
  await expect(saveResponse).toBeOK();
  // saved by POST: the browser's own form submit (which would put the token in the URL) is cancelled
  expect(page.url()).not.toContain(API_TOKEN);
  expect(page.url()).not.toContain('apiToken');

  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByText('Connection works')).toBeVisible();
  await expect(page.getByText(/token accepted/)).toBeVisible();
});
