// `webmach cc` (host/node/cc.ts): C written for Linux — the posix test programs, which use
// posix_spawn, pipe, dup2, waitpid, fcntl, poll and <signal.h> — compiles unchanged from its source and behaves
// as the committed build does; the command's errors are one line with a status (2 usage, 1 no
// toolchain, clang's own status for a compile error); `-c` compiles without linking webmach's library.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SDK_SKIPPED } from './toolchain.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/webmach.js');
const POSIX = join(ROOT, 'test/programs/posix');

function webmach(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.skipIf(SDK_SKIPPED)('webmach cc', () => {
  const out = mkdtempSync(join(tmpdir(), 'webmach-cc-'));

  it('compiles programs written for Linux from their source, and they pass as the committed builds do', () => {
    for (const name of ['dup', 'spawn', 'pipes']) {
      const built = join(out, `${name}.wasm`);
      const cc = webmach(['cc', '-O2', '-Wall', '-Wextra', '-Werror', join(POSIX, `${name}.c`), '-o', built]);
      expect(cc.stderr).toBe('');
      expect(cc.code).toBe(0);
      const run = webmach(['run', '--dir', `${out}::/progs`, built, 'all', `/progs/${name}.wasm`]);
      expect(run.code, run.stdout).toBe(0);
      expect(run.stdout).not.toContain('FAIL');
      expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('0 failures');
    }
  });

  it("-c compiles without linking webmach's library; a compile error is clang's own status and message", () => {
    const obj = join(out, 'dup.o');
    expect(webmach(['cc', '-c', join(POSIX, 'dup.c'), '-o', obj]).code).toBe(0);
    expect(existsSync(obj)).toBe(true);
    const bad = join(out, 'bad.c');
    writeFileSync(bad, 'int main(void) { return undefined_name; }\n');
    const r = webmach(['cc', bad, '-o', join(out, 'bad.wasm')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('undefined_name');
  });

  it('says what is wrong in one line: no input (usage, 2), a compiler that does not run (1)', () => {
    const none = webmach(['cc']);
    expect(none.code).toBe(2);
    expect(none.stderr.trim().split('\n')).toHaveLength(1);
    const missing = webmach(['cc', 'x.c'], { WEBMACH_CC: '/no/such/clang' });
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe('webmach cc: WEBMACH_CC=/no/such/clang does not run');
  });
});
