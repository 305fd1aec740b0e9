// The package as a user gets it: `npm pack` (of what `npm test` just built), `npm install -g` of the
// tarball into a temporary prefix, from npm's cache where it can (--prefer-offline: npm wants binaryen's
// full registry metadata for a global install, which `npm ci` does not cache), then the installed `webmach` run from a folder outside the
// repository. And `npm test` without a browser: the browser tests are skipped with one line saying
// what to install, unless WEBMACH_BROWSER_TESTS=required (as .ci/run sets), where they fail.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

function sh(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 90_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the package installed from its tarball', () => {
  let temp: string;
  let bin: string;
  let work: string;
  beforeAll(() => {
    temp = mkdtempSync(join(tmpdir(), 'webmach-package-'));
    // --ignore-scripts: pack what pretest built (prepare would rebuild dist/ under the other test files)
    const pack = sh('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', temp], ROOT);
    expect(pack.code, pack.stderr).toBe(0);
    const [{ filename }] = JSON.parse(pack.stdout) as { filename: string }[];
    const prefix = join(temp, 'prefix');
    const install = sh('npm', ['install', '-g', '--prefer-offline', '--no-audit', '--no-fund', '--prefix', prefix, join(temp, filename)], temp);
    expect(install.code, install.stderr).toBe(0);
    bin = join(prefix, 'bin', 'webmach');
    work = join(temp, 'work');
    mkdirSync(work);
    copyFileSync(join(ROOT, 'test/programs/hello.wasm'), join(work, 'hello.wasm'));
    copyFileSync(join(ROOT, 'test/programs/firstline.wasm'), join(work, 'firstline.wasm'));
  });
  afterAll(() => rmSync(temp, { recursive: true, force: true }));

  it('is a copy, not a link into the repository', () => {
    expect(realpathSync(bin).startsWith(temp)).toBe(true);
  });

  it('prints its version', () => {
    expect(sh(bin, ['--version'], work).stdout).toBe(`webmach ${VERSION}\n`);
  });

  it('runs a program given by absolute path, by relative path, and in the short form', () => {
    for (const args of [['run', join(work, 'hello.wasm'), 'a'], ['run', 'hello.wasm', 'a'], ['./hello.wasm', 'a']]) {
      const r = sh(bin, args, work);
      expect(r.stdout).toContain('hello from webmach\nargc=2\nargv[0]=hello.wasm\nargv[1]=a\n');
      expect(r.code).toBe(0);
    }
  });

  it('mounts the folder it runs in with --dir .', () => {
    writeFileSync(join(work, 'note.txt'), 'first\nsecond\n');
    const r = sh(bin, ['run', '--dir', '.', 'firstline.wasm', 'note.txt'], work);
    expect(r.stdout).toBe('note.txt: first\n');
    expect(r.code).toBe(0);
  });
});

describe('the browser tests on a machine without the browser', () => {
  /** vitest on one browser test file, with chromium's path pointing at nothing. */
  function browserTests(extra: NodeJS.ProcessEnv) {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'WEBMACH_BROWSER_TESTS'));
    const vitest = join(ROOT, 'node_modules/vitest/vitest.mjs');
    return sh(process.execPath, [vitest, 'run', 'test/browser/isolation.test.ts'], ROOT, { ...env, NO_COLOR: '1', WEBMACH_CHROMIUM: '/no/such/chromium', ...extra });
  }

  it('skips them with one line saying what to install', () => {
    const r = browserTests({});
    expect(r.stdout.split('\n').filter((l) => l.includes('browser tests skipped'))).toEqual(['browser tests skipped: /no/such/chromium not found (apt-get install chromium)']);
    expect(r.stdout).toMatch(/Tests +2 skipped/);
    expect(r.code).toBe(0);
  });

  it('fails them where they are required (CI)', () => {
    const r = browserTests({ WEBMACH_BROWSER_TESTS: 'required' });
    expect(r.stdout + r.stderr).toContain('/no/such/chromium');
    expect(r.stdout).not.toContain('browser tests skipped');
    expect(r.code).toBe(1);
  });
});
