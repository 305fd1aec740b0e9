// page.ts: helper for browser tests of webmach's page (host/browser/index.html): pageSession()
// serves the repository and launches chromium for one test file; its run(query) opens the page,
// waits until the program ended, and returns what the page recorded: its status, exit code, and
// the stdout and stderr it showed. Uncaught page errors fail the test.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Page } from 'playwright-core';
import { serveStatic } from '../../dist/host/node/serve.js';
import { launchChromium, type LaunchedChromium } from './chromium.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface PageRun {
  page: Page;
  status: string;
  code: string;
  stdout: string;
  stderr: string;
}

/** Register the hooks that serve and launch around this file's tests; run() opens one page. */
export function pageSession(): { run(query: string): Promise<PageRun> } {
  let server: Awaited<ReturnType<typeof serveStatic>>;
  let browser: LaunchedChromium;
  beforeAll(async () => {
    server = await serveStatic(ROOT);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return { run: (query) => runPage(browser, server.url, query) };
}

async function runPage(browser: LaunchedChromium, baseUrl: string, query: string): Promise<PageRun> {
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
