// isolation.test.ts: proves the browser recipe on this machine: a page served by serveStatic (with
// COOP/COEP) and opened in headless chromium is cross-origin isolated and can create a SharedArrayBuffer.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStatic } from '../../dist/host/node/serve.js';
import { BROWSER_SKIPPED, launchChromium, type LaunchedChromium } from './chromium.js';

const INDEX_HTML = `<!doctype html>
<html><body><pre id="out">pending</pre>
<script>
  let sab = false;
  try { sab = new SharedArrayBuffer(8).byteLength === 8; } catch (e) { sab = false; }
  document.getElementById('out').textContent = JSON.stringify({ crossOriginIsolated: self.crossOriginIsolated, sab });
</script></body></html>
`;

describe.skipIf(BROWSER_SKIPPED)('browser cross-origin isolation', () => {
  let dir: string;
  let server: Awaited<ReturnType<typeof serveStatic>>;
  let browser: LaunchedChromium;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'webmach-isolation-'));
    await writeFile(path.join(dir, 'index.html'), INDEX_HTML);
    server = await serveStatic(dir);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('sends the isolation headers on every response, including errors', async () => {
    for (const p of ['', 'index.html', 'missing.js']) {
      const res = await fetch(server.url + p);
      expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(res.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
      expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.status).toBe(p === 'missing.js' ? 404 : 200);
    }
  });

  it('is crossOriginIsolated in chromium with a working SharedArrayBuffer', async () => {
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => document.getElementById('out')?.textContent !== 'pending');
    const result = JSON.parse((await page.textContent('#out')) ?? '{}');
    expect(result).toEqual({ crossOriginIsolated: true, sab: true });
    await page.close();
  });
});
