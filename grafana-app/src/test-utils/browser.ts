import { execFileSync } from 'child_process';
import path from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const APP_DIR = path.resolve(__dirname, '..', '..');
export const SHOTS = path.join(APP_DIR, 'test-results');

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Builds the browser harness (harness/) into `outDir`. Each browser test builds its own copy so two
 * jest workers never write the same bundle at once.
 */
export function buildHarness(outDir: string): void {
  execFileSync(
    process.execPath,
    [require.resolve('webpack-cli/bin/cli.js'), '-c', 'harness/webpack.config.js', '--output-path', outDir],
    { cwd: APP_DIR, stdio: 'ignore' },
  );
}

/** Debian's Chromium (/usr/bin/chromium), headless. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** Waits until the drawer has slid in: its "Mark as normal" button is fully inside the viewport. */
export function waitForDrawerOpen(page: Page): Promise<unknown> {
  return page.waitForFunction(() => {
    const button = [...document.querySelectorAll('button')].find((b) => b.textContent?.includes('Mark as normal'));
    const box = button?.getBoundingClientRect();
    return box !== undefined && box.left >= 0 && box.right <= window.innerWidth;
  });
}
