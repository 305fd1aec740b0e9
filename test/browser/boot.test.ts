// The browser boot: the same machine (kernel, server task, a task running hello.wasm) in headless
// Debian chromium, served from 127.0.0.1 with COOP/COEP. The program's output must appear in the page;
// a program that forks runs too, and one that uses Mach.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pageSession } from './page.js';
import { BROWSER_SKIPPED } from './chromium.js';

describe.skipIf(BROWSER_SKIPPED)('webmach in chromium', () => {
  const session = pageSession();

  it('runs hello.wasm: its output appears in the page and its exit code is recorded', async () => {
    const r = await session.run('program=/test/programs/hello.wasm&arg=5&arg=two%20words&env=WEBMACH_GREETING=hi');
    expect(r.status).toBe('exited');
    expect(r.code).toBe('5');
    expect(r.stdout).toContain('hello from webmach\n');
    expect(r.stdout).toContain('argv[1]=5\nargv[2]=two words\n');
    expect(r.stdout).toContain('WEBMACH_GREETING=hi\n');
    expect(r.stdout).toContain('clock ok\nrandom ok\n');
    expect(r.stderr).toContain('hello: stderr works');
    await r.page.close();
  });

  it('runs a program that forks (made able to in the page, with Binaryen from the served package), and keeps the transform in its cache', async () => {
    const r = await session.run('program=/test/programs/posix/forked.wasm');
    expect(r.stdout).toBe('child: ppid 1, shared 2\nparent: child exited 7, shared 1\n');
    expect(r.code).toBe('0');
    const hash = createHash('sha256').update(readFileSync(fileURLToPath(new URL('../programs/posix/forked.wasm', import.meta.url)))).digest('hex');
    const cached = await r.page.evaluate(async () => (await (await caches.open('webmach-forkable')).keys()).map((k) => new URL(k.url).pathname));
    expect(cached).toEqual([`/.webmach/forkable/${hash}.wasm`]);
    await r.page.close();
  }, 60_000);

  it('runs a program written for macOS against Mach: ports, rights, references, sets and attributes, served by the server in the page', async () => {
    const r = await session.run('program=/test/programs/mach/ports.wasm&arg=all');
    expect(r.stdout.trimEnd().split('\n').filter((l) => l.startsWith('FAIL'))).toEqual([]);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('0 failures');
    expect(r.code).toBe('0');
    await r.page.close();
  });

  it('reports a trap as a signal', async () => {
    const r = await session.run('program=/test/programs/trap.wasm');
    expect(r.stdout).toBe('before trap\n');
    expect(r.code).toBe('132');
    expect(r.stderr).toContain('signal 4');
    await r.page.close();
  });
});
