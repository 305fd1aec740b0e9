// The CLI a user runs: `webmach run PROGRAM.wasm [ARGS]`, through the real bin script, real workers
// and the real kernel. Checks output, stderr, exit codes, and the one-line errors for bad input.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
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

  it('exits 0 when main returns 0, and passes every argument after the program as it is, -- included (as wasmtime)', () => {
    const r = webmach('run', 'test/programs/hello.wasm', '--not-an-option', '--', '-e', '--dir=x');
    expect(r.stdout).toContain('argc=5\nargv[0]=hello.wasm\nargv[1]=--not-an-option\nargv[2]=--\nargv[3]=-e\nargv[4]=--dir=x\n');
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

  it('gives a one-line error for a program that is a directory', () => {
    const r = webmach('run', 'test/programs');
    expect(r.stderr).toBe("webmach: cannot open 'test/programs': is a directory\n");
    expect(r.code).toBe(126);
  });

  it('refuses a WASI preview0 program with a line naming the version', () => {
    const r = webmach('run', 'test/programs/preview0.wasm');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('wasi_unstable (WASI preview0)');
    expect(r.code).toBe(126);
  });

  it('prints help and version', () => {
    for (const args of [['--help'], ['-h'], ['help'], ['run', '--help'], ['serve', '--help']]) {
      expect(webmach(...args).stdout).toContain('usage: webmach [run] [OPTIONS] PROGRAM.wasm [ARGS...]');
    }
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    expect(webmach('--version').stdout).toBe(`webmach ${version}\n`);
    expect(webmach('-V').stdout).toBe(`webmach ${version}\n`);
  });
});

describe('webmach run: usage errors are one line naming the option, exit 2, before anything runs', () => {
  const hello = 'test/programs/hello.wasm';
  const cases: [string[], string][] = [
    [['run', '-e', 'K=V', hello], "unknown option '-e'"], // wasmtime has no -e either
    [['run', '--bogus=1', hello], "unknown option '--bogus'"],
    [['run', '--env'], '--env expects NAME[=VALUE]'],
    [['run', '--dir', '--trace', hello], '--dir expects HOST[::GUEST][:ro]'],
    [['run', '--env', '=x', hello], "--env expects NAME[=VALUE], got '=x'"],
    [['run', '--trace=yes', hello], '--trace takes no value'],
    [['run', '-S', 'cli', hello], "-S 'cli' is not supported"],
    [['run', '--dir', 'package.json::/p', hello], "--dir 'package.json': not a directory"],
    [['run', '--dir', 'no-such-dir', hello], "--dir 'no-such-dir': no such directory"],
    [['run', '--dir', 'test::/x', '--dir', 'bench::/x/', hello], "--dir 'bench::/x/': /x is already mounted by --dir 'test::/x'"],
    [['run', '--dir', 'test::/', '--dir', 'bench::/', hello], '/ is already mounted'],
    [['run', '--dir', 'test::/dev', hello], 'cannot mount over /dev'],
    [['run', '--dir', 'test::/dev/t', hello], 'cannot mount over /dev'],
    [['run', '--dir', 'test::/a', '--dir', 'bench::/a/b', hello], "/a/b and /a (--dir 'test::/a') cannot be mounted one inside the other"],
    [['run', '--dir', 'test::/a/../b', hello], 'GUEST must not contain . or .. steps'],
    [['run', '--dir', 'test::/a::/b', hello], '--dir expects HOST[::GUEST][:ro]'],
    [['run'], 'no program given'],
    [['frobnicate'], "'frobnicate' is neither a command nor a file"],
    [['serve', '--port', 'x'], 'webmach serve: expected --port N (0-65535)'],
    [['serve', '--port', '70000'], 'webmach serve: expected --port N (0-65535)'],
  ];
  for (const [args, message] of cases) {
    it(`webmach ${args.join(' ')}`, () => {
      const r = webmach(...args);
      expect(r.stderr).toContain(message);
      expect(r.stderr).toMatch(/^[^\n]*\(try 'webmach --help'\)\n$/);
      expect(r.stdout).toBe('');
      expect(r.code).toBe(2);
    });
  }
});

describe('webmach serve: host errors are one line', () => {
  it('names a port in use instead of printing a stack trace (exit 1)', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [BIN, 'serve', '--port', String(port)], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('exit', (code) => resolve({ code, stderr }));
      });
      expect(r.stderr).toBe(`webmach serve: port ${port} is in use (choose another, or --port 0 for any free port)\n`);
      expect(r.code).toBe(1);
    } finally {
      taken.close();
    }
  });
});

describe("webmach run: wasmtime's habits", () => {
  it('runs `webmach PROGRAM ARGS` as `webmach run PROGRAM ARGS`, options before the program too', () => {
    expect(webmach('test/programs/hello.wasm', 'a').stdout).toContain('argc=2\nargv[0]=hello.wasm\nargv[1]=a\n');
    const r = webmach('--env', 'WEBMACH_GREETING=short', 'test/programs/hello.wasm');
    expect(r.stdout).toContain('WEBMACH_GREETING=short\n');
    expect(r.code).toBe(0);
  });

  it('takes option values after = (--env=NAME=VALUE, --dir=HOST::GUEST)', () => {
    const host = mkdtempSync(join(tmpdir(), 'webmach-cli-'));
    try {
      expect(webmach('run', '--env=WEBMACH_GREETING=a=b', 'test/programs/hello.wasm').stdout).toContain('WEBMACH_GREETING=a=b\n');
      const r = webmachWith({ input: 'via =\n' }, 'run', `--dir=${host}::/out`, 'test/programs/stdio.wasm', '/out/f.txt');
      expect(r.code).toBe(0);
      expect(readFileSync(join(host, 'f.txt'), 'utf8')).toBe('via =\n');
    } finally {
      rmSync(host, { recursive: true, force: true });
    }
  });

  it("passes webmach's own value for --env NAME, and nothing when it has none", () => {
    const env = { ...process.env, WEBMACH_GREETING: 'from webmach' };
    expect(webmachWith({ env }, 'run', '--env', 'WEBMACH_GREETING', 'test/programs/hello.wasm').stdout).toContain('WEBMACH_GREETING=from webmach\n');
    const unset = { ...process.env };
    delete unset.WEBMACH_GREETING;
    expect(webmachWith({ env: unset }, 'run', '--env', 'WEBMACH_GREETING', 'test/programs/hello.wasm').stdout).not.toContain('WEBMACH_GREETING');
  });

  it('inherits the environment with -S inherit-env, and sets argv[0] with --argv0', () => {
    const env = { ...process.env, WEBMACH_GREETING: 'inherited' };
    expect(webmachWith({ env }, 'run', '-S', 'inherit-env', 'test/programs/hello.wasm').stdout).toContain('WEBMACH_GREETING=inherited\n');
    expect(webmachWith({ env }, 'run', '-Sinherit-env=n', 'test/programs/hello.wasm').stdout).not.toContain('WEBMACH_GREETING');
    expect(webmach('run', '--argv0', 'greeter', 'test/programs/hello.wasm').stdout).toContain('argv[0]=greeter\n');
  });

  it('gives the program HOST as its root with --dir HOST::/, devices still at /dev', () => {
    const host = mkdtempSync(join(tmpdir(), 'webmach-cli-'));
    try {
      writeFileSync(join(host, 'in.txt'), 'rooted\n');
      const r = webmach('run', '--dir', `${host}::/`, 'test/programs/firstline.wasm', '/in.txt', 'in.txt', '/dev/null');
      expect(r.stdout).toBe('/in.txt: rooted\nin.txt: rooted\n/dev/null: (empty)\n');
      expect(r.code).toBe(0);
    } finally {
      rmSync(host, { recursive: true, force: true });
    }
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
    expect(r.stderr).toBe("webmach run: --dir '/no/such/dir': no such directory (try 'webmach --help')\n");
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
    expect(lines).toContain('[pid 1] prestat_dir_name(3, 4) = 0 (name=4)');
    expect(lines.some((l) => /^\[pid 1\] openat\(3, 0x1, "t.txt", 0x9, \d+, \d+, 0x0\) = 0 \(fd=5\)$/.test(l))).toBe(true);
    expect(lines.some((l) => /^\[pid 1\] read\(0, \d+\) = 0 \(data=2\)$/.test(l))).toBe(true);
    expect(lines).toContain('[pid 1] write(5, "hi", 2) = 0 (n=2)');
    expect(lines).toContain('[pid 1] prestat(5) = -1 EBADF');
    expect(lines.some((l) => /^\[pid 1\] args_sizes_get\(\d+, \d+\) = 0 \(served in the task\)$/.test(l))).toBe(true);
    expect(lines.at(-1)).toBe('[pid 1] exit(0) = 0');
  });
});
