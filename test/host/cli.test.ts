// The CLI a user runs: `webmach run PROGRAM.wasm [ARGS]`, through the real bin script, real workers
// and the real kernel. Checks output, stderr, exit codes, and the one-line errors for bad input.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/webmach.js', import.meta.url));

function webmach(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('webmach run', () => {
  it('runs hello.wasm: stdout, stderr, arguments, environment and exit code', () => {
    const r = webmach('run', '--env', 'WEBMACH_GREETING=bonjour', 'test/programs/hello.wasm', '3', 'x y');
    expect(r.stdout).toBe('hello from webmach\nargc=3\nargv[0]=hello.wasm\nargv[1]=3\nargv[2]=x y\nWEBMACH_GREETING=bonjour\nclock ok\nrandom ok\n');
    expect(r.stderr).toBe('hello: stderr works\n');
    expect(r.code).toBe(3);
  });

  it('exits 0 when main returns 0, and passes arguments after --', () => {
    const r = webmach('run', 'test/programs/hello.wasm', '--', '--not-an-option');
    expect(r.stdout).toContain('argv[1]=--not-an-option\n');
    expect(r.code).toBe(0);
  });

  it('exits with the status main returns', () => {
    const r = webmach('run', 'test/programs/exit7.wasm');
    expect(r.stdout).toBe('exit7\n');
    expect(r.code).toBe(7);
  });

  it('turns a trap into a signal: 128 + SIGILL and one line on stderr', () => {
    const r = webmach('run', 'test/programs/trap.wasm');
    expect(r.stdout).toBe('before trap\n');
    expect(r.stderr).toBe('webmach: trap.wasm: terminated by SIGILL (wasm trap: unreachable executed)\n');
    expect(r.code).toBe(132);
  });

  it('names a missing import before running anything', () => {
    const r = webmach('run', 'test/programs/needs_missing.wasm');
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('webmach_missing.frobnicate');
    expect(r.code).toBe(126);
  });

  it('gives a one-line error for a missing file', () => {
    const r = webmach('run', 'test/programs/no-such-program.wasm');
    expect(r.stderr).toBe("webmach: cannot open 'test/programs/no-such-program.wasm': no such file\n");
    expect(r.code).toBe(127);
  });

  it('gives a one-line error for a file that is not Wasm', () => {
    const r = webmach('run', 'package.json');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^webmach: 'package.json' is not a valid WebAssembly module/);
    expect(r.code).toBe(126);
  });

  it('explains usage errors with exit code 2', () => {
    expect(webmach('run').code).toBe(2);
    expect(webmach('frobnicate').code).toBe(2);
    expect(webmach('run', '--bogus', 'x.wasm').stderr).toContain("unknown option '--bogus'");
  });

  it('prints help and version', () => {
    expect(webmach('--help').stdout).toContain('usage: webmach run');
    expect(webmach('--version').stdout).toMatch(/^webmach \d+\.\d+\.\d+\n$/);
  });
});
