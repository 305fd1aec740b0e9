// page.ts: helper for browser tests: opens webmach's page (host/browser/index.html) with a query,
// waits until the program ended, and returns what the page recorded: its status, exit code, and
// the stdout and stderr it showed. Uncaught page errors fail the test.
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import type { LaunchedChromium } from './chromium.js';

export interface PageRun {
  page: Page;
  status: string;
  code: string;
  stdout: string;
  stderr: string;
}

export async function runPage(browser: LaunchedChromium, baseUrl: string, query: string): Promise<PageRun> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${baseUrl}host/browser/index.html?${query}`);
  await page.waitForFunction(() => ['exited', 'error'].includes(document.body.dataset.status ?? ''), undefined, { timeout: 30_000 });
  const result = await page.evaluate(() => ({
    status: document.body.dataset.status ?? '',
    code: document.body.dataset.exitCode ?? '',
    stdout: Array.from(document.querySelectorAll('#out .stdout'), (e) => e.textContent).join(''),
    stderr: Array.from(document.querySelectorAll('#out .stderr'), (e) => e.textContent).join(''),
  }));
  expect(errors).toEqual([]);
  return { page, ...result };
}
