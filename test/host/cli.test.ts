// The CLI a user runs: `webmach run PROGRAM.wasm [ARGS]`, through the real bin script, real workers
// and the real kernel. Checks output, stderr, exit codes, and the one-line errors for bad input.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/webmach.js', import.meta.url));

function webmach(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  return webmachWith({}, ...args);
}

function webmachWith(opts: { input?: string; env?: NodeJS.ProcessEnv }, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30_000, input: opts.input ?? '', env: opts.env ?? process.env });
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
    expect(r.stderr).toMatch(/^webmach: cannot run 'package.json': it is not a valid WebAssembly module/);
    expect(r.code).toBe(126);
  });

  it('explains usage errors with exit code 2', () => {
    expect(webmach('run').code).toBe(2);
    expect(webmach('frobnicate').code).toBe(2);
    expect(webmach('run', '--bogus', 'x.wasm').stderr).toContain("unknown option '--bogus'");
  });

  it('refuses a WASI preview0 program with a line naming the version', () => {
    const r = webmach('run', 'test/programs/preview0.wasm');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('wasi_unstable (WASI preview0)');
    expect(r.code).toBe(126);
  });

  it('prints help and version', () => {
    expect(webmach('--help').stdout).toContain('usage: webmach run');
    expect(webmach('--version').stdout).toMatch(/^webmach \d+\.\d+\.\d+\n$/);
  });
});

describe('webmach run: standard streams, mounts, environment and trace', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'webmach-cli-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('reads standard input from a pipe; pipes are not terminals', () => {
    const r = webmachWith({ input: 'one\ntwo\n' }, 'run', 'test/programs/stdio.wasm');
    expect(r.stdout).toBe('isatty 0 0 0\none\ntwo\n');
    expect(r.code).toBe(0);
  });

  it('sees terminals as terminals (run under a pseudo-terminal)', () => {
    const cmd = `${process.execPath} ${BIN} run test/programs/stdio.wasm < /dev/null`;
    const r = spawnSync('script', ['-qc', cmd, '/dev/null'], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    expect(r.stdout.replace(/\r/g, '')).toBe('isatty 0 1 1\n');
  });

  it('mounts a host directory with --dir HOST::GUEST: the file lands on the host', () => {
    const host = tempDir();
    const r = webmachWith({ input: 'to the host\n' }, 'run', '--dir', `${host}::/out`, 'test/programs/stdio.wasm', '/out/copy.txt');
    expect(r.code).toBe(0);
    expect(readFileSync(join(host, 'copy.txt'), 'utf8')).toBe('to the host\n');
  });

  it('resolves relative paths in the directory given as --dir . (as wasmtime does)', () => {
    const r = webmach('run', '--dir', '.', 'test/programs/firstline.wasm', 'package.json', './test/programs/firstline.c');
    expect(r.stdout).toBe('package.json: {\n./test/programs/firstline.c: // firstline.c: prints the first line of each file named on the command line (or why it cannot be\n');
    expect(r.code).toBe(0);
  });

  it('mounts read-only with a :ro suffix: writes fail with EROFS and the host is untouched', () => {
    const host = tempDir();
    writeFileSync(join(host, 'keep.txt'), 'kept');
    const r = webmachWith({ input: 'x' }, 'run', '--dir', `${host}::/ro:ro`, 'test/programs/stdio.wasm', '/ro/keep.txt');
    expect(r.stdout).toContain('cannot open /ro/keep.txt: Read-only file system');
    expect(r.code).toBe(1);
    expect(readFileSync(join(host, 'keep.txt'), 'utf8')).toBe('kept');
  });

  it('keeps files in memory without --dir: nothing reaches the host', () => {
    const r = webmachWith({ input: 'in memory' }, 'run', 'test/programs/stdio.wasm', '/tmp/copy.txt');
    expect(r.code).toBe(0);
    expect(existsSync('/tmp/copy.txt') && readFileSync('/tmp/copy.txt', 'utf8') === 'in memory').toBe(false);
  });

  it('gives programs /dev and an in-memory /tmp without any --dir', () => {
    const r = webmach('run', 'test/programs/devices.wasm');
    expect(r.stdout).toBe(
      'zero: ok\nurandom: ok\nnull: write 5, read 0\nvia /dev/stdout\n/dev: . .. null stderr stdin stdout tty urandom zero\n' +
      'create in /dev: Operation not permitted\nsparse 1 GiB file: ok\nhard link: nlink 2\n',
    );
    expect(r.stderr).toBe('via /dev/stderr\n');
    expect(r.code).toBe(0);
  });

  it('ends a writer whose reader went away by SIGPIPE, quietly, as a shell pipeline does', async () => {
    const child = spawn(process.execPath, [BIN, 'run', 'test/programs/yes.wasm'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(128 + 13);
    expect(stderr).toBe('');
  });

  it('rejects a --dir that is not a directory with one line and exit code 2', () => {
    const r = webmach('run', '--dir', '/no/such/dir::/x', 'test/programs/stdio.wasm');
    expect(r.stderr).toBe("webmach run: --dir '/no/such/dir': no such directory\n");
    expect(r.code).toBe(2);
  });

  it('passes its own environment with --inherit-env, and --env overrides it', () => {
    const env = { ...process.env, WEBMACH_GREETING: 'inherited' };
    expect(webmachWith({ env }, 'run', 'test/programs/hello.wasm').stdout).not.toContain('WEBMACH_GREETING');
    expect(webmachWith({ env }, 'run', '--inherit-env', 'test/programs/hello.wasm').stdout).toContain('WEBMACH_GREETING=inherited\n');
    const both = webmachWith({ env }, 'run', '--inherit-env', '--env', 'WEBMACH_GREETING=given', 'test/programs/hello.wasm');
    expect(both.stdout).toContain('WEBMACH_GREETING=given\n');
    expect(both.stdout).not.toContain('inherited');
  });

  it('traces every system call with its arguments and result on stderr (--trace)', () => {
    const host = tempDir();
    const r = webmachWith({ input: 'hi' }, 'run', '--trace', '--dir', `${host}::/out`, 'test/programs/stdio.wasm', '/out/t.txt');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('isatty 0 0 0\nhi');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toContain('[pid 1] prestat_dir_name(3, 4) = 0 (namelen=4)');
    expect(lines.some((l) => /^\[pid 1\] openat\(3, 0x1, "t.txt", 0x9, \d+, \d+, 0x0\) = 0 \(fd=5\)$/.test(l))).toBe(true);
    expect(lines.some((l) => /^\[pid 1\] read\(0, \d+\) = 0 \(n=2\)$/.test(l))).toBe(true);
    expect(lines).toContain('[pid 1] write(5, "hi", 2) = 0 (n=2)');
    expect(lines).toContain('[pid 1] prestat(5) = -1 EBADF');
    expect(lines.some((l) => /^\[pid 1\] args_sizes_get\(\d+, \d+\) = 0 \(served in the task\)$/.test(l))).toBe(true);
    expect(lines.at(-1)).toBe('[pid 1] exit(0) = 0');
  });
});
