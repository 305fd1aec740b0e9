// chromium.ts: helper for browser tests: launches Debian's /usr/bin/chromium (or $WEBMACH_CHROMIUM)
// headless through playwright-core, with a fresh temporary profile that close() removes again; and
// says when the browser tests are skipped: no browser, unless WEBMACH_BROWSER_TESTS=required (CI).
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.WEBMACH_CHROMIUM || '/usr/bin/chromium';

/** Why the browser tests are skipped, or undefined when they run (a missing browser then fails them). */
export const BROWSER_SKIPPED = existsSync(CHROMIUM_PATH) || process.env.WEBMACH_BROWSER_TESTS === 'required'
  ? undefined
  : `browser tests skipped: ${CHROMIUM_PATH} not found (apt-get install chromium)`;

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface LaunchedChromium {
  /** The browser context (persistent, on the temporary profile). */
  context: BrowserContext;
  /** Opens a new tab. */
  newPage(): Promise<Page>;
  /** Closes the browser and removes the temporary profile. */
  close(): Promise<void>;
}

export async function launchChromium(): Promise<LaunchedChromium> {
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'webmach-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
    });
  } catch (e) {
    await rm(userDataDir, { recursive: true, force: true });
    throw e;
  }
  return {
    context,
    newPage: () => context.newPage(),
    async close() {
      try {
        await context.close();
      } finally {
        await rm(userDataDir, { recursive: true, force: true });
      }
    },
  };
}
