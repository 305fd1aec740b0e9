// The stream and text utilities of the system's /bin (userland/cmd/*.c, built into userland/bin/*.wasm):
// cat echo true false yes seq sleep env printenv basename dirname tee head tail wc tr cut. Each runs
// through the real CLI (`webmach run`) with a fresh host directory mounted at /work, and where
// practical its stdout, stderr and exit status are compared with what the Linux coreutils binary
// prints for the same command (run with LC_ALL=C, or C.UTF-8 for wc, on the same files, its paths
// written as the host's and its output mapped back to /work). Standard input comes through a pipe
// for both.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/webmach.js', import.meta.url));
/** GNU coreutils on this machine, to compare with; without it only the hand-written checks run. */
const HAVE_GNU = (spawnSync('head', ['--version'], { encoding: 'utf8' }).stdout ?? '').includes('GNU coreutils');
const HAVE_UTF8 = HAVE_GNU && /^c\.utf-?8$/im.test(spawnSync('locale', ['-a'], { encoding: 'utf8' }).stdout ?? '');

/** Output as latin1 text, so binary data compares byte for byte. */
type Result = { code: number | null; stdout: string; stderr: string };
type Input = string | Buffer;

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'webmach-text-'));
  populate(tmp);
});
afterEach(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** Deterministic bytes of every value (a linear congruential generator). */
function noise(n: number, seed = 12345): Buffer {
  const b = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

function seqLines(from: number, to: number): string {
  let s = '';
  for (let i = from; i <= to; i++) s += `${i}\n`;
  return s;
}

const UTF8_TEXT = Buffer.concat([
  Buffer.from('héllo wörld\u00a0x\u2003y z\u202fw\n\u0001 \u0002 😀 e\u0301 日本語 \u3000end\n', 'utf8'),
  Buffer.from([0xff, 0x20, 0xed, 0xa0, 0x80, 0x20, 0xe0, 0x80, 0x80, 0x20, 0xf4, 0x90, 0x80, 0x80, 0x61, 0x0a, 0x62, 0xc3]),
]);

/** The files every test has in /work. */
function populate(dir: string): void {
  writeFileSync(join(dir, 'f'), 'a\nb\n');
  writeFileSync(join(dir, 'nonl'), 'a\nb\nc');
  writeFileSync(join(dir, 'empty'), '');
  writeFileSync(join(dir, 's20'), seqLines(1, 20));
  writeFileSync(join(dir, 'big'), seqLines(1, 30000)); // 168 KB: several 64 KiB reads
  writeFileSync(join(dir, 'bin'), noise(200_000));
  writeFileSync(join(dir, 'long'), 'x'.repeat(1_000_000) + ':' + 'y'.repeat(100)); // one huge line, no newline
  writeFileSync(join(dir, 'u8'), UTF8_TEXT);
  writeFileSync(join(dir, 'cin'), 'a:b:c\n1:2\nnodelim\n::\n\nx:y:z:w:v\nlast:line');
  writeFileSync(join(dir, 'tin'), 'a\tb\tc\nd\te\n');
  mkdirSync(join(dir, 'd'));
}

function wmArgs(prog: string, args: string[], env: string[]): string[] {
  return [BIN, 'run', ...env.flatMap((e) => ['--env', e]), '--dir', `${tmp}::/work`, `userland/bin/${prog}.wasm`, ...args];
}

/** Runs userland/bin/PROG.wasm with the test's directory at /work. */
function wm(prog: string, args: string[], opts: { input?: Input; env?: string[] } = {}): Result {
  const r = spawnSync(process.execPath, wmArgs(prog, args, opts.env ?? []), {
    cwd: ROOT, encoding: 'latin1', input: opts.input ?? '', timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same, without blocking, so that a table of cases can run two at a time. */
function wmAsync(prog: string, args: string[], input?: Input): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, wmArgs(prog, args, []), { cwd: ROOT });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.stdin.on('error', () => {}); // a program that does not read its input
    child.stdin.end(typeof input === 'string' ? Buffer.from(input, 'latin1') : (input ?? ''));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString('latin1'), stderr: Buffer.concat(err).toString('latin1') });
    });
  });
}

/** The Linux binary NAME on the same files (host paths for /work), its output mapped back to /work.
 *  Its environment is LC_ALL and PATH, or exactly `env` (then NAME is found on the test's PATH). */
function gnu(name: string, args: string[], opts: { input?: Input; locale?: string; env?: NodeJS.ProcessEnv } = {}): Result {
  const host = args.map((a) => (a === '/work' || a.startsWith('/work/') ? tmp + a.slice(5) : a));
  const path = opts.env ? spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim() : name;
  const r = spawnSync(path, host, {
    cwd: tmp, encoding: 'latin1', input: opts.input ?? '', timeout: 30_000, argv0: name,
    env: opts.env ?? { PATH: process.env.PATH, LC_ALL: opts.locale ?? 'C' },
  });
  const back = (s: string) => s.split(tmp).join('/work');
  return { code: r.status, stdout: back(r.stdout), stderr: back(r.stderr) };
}

type Case = { args: string[]; input?: Input };

/** Runs each case under webmach (two at a time) and under GNU, and expects the same results. */
async function sameAsGnu(prog: string, cases: Case[], locale = 'C'): Promise<void> {
  const results: Result[] = new Array(cases.length);
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const i = next++;
      results[i] = await wmAsync(prog, cases[i].args, cases[i].input);
    }
  };
  await Promise.all([worker(), worker()]);
  cases.forEach((c, i) => {
    const expected = gnu(prog, c.args, { input: c.input, locale });
    expect(results[i], `${prog} ${JSON.stringify(c.args)}`).toEqual(expected);
  });
}

const args = (...list: string[][]): Case[] => list.map((a) => ({ args: a }));
const withInput = (input: Input, ...list: string[][]): Case[] => list.map((a) => ({ args: a, input }));
const read = (name: string) => readFileSync(join(tmp, name), 'latin1');
const TABLE = 180_000; // the timeout of a test that runs a table of cases

describe('cat', () => {
  it('concatenates files and standard input ("-"), byte for byte', () => {
    const r = wm('cat', ['/work/f', '-', '/work/nonl', '/work/bin'], { input: 'in\n' });
    expect(r).toEqual({ code: 0, stdout: 'a\nb\nin\na\nb\nc' + read('bin'), stderr: '' });
    expect(wm('cat', [], { input: 'only stdin' }).stdout).toBe('only stdin');
  });

  it('reports a missing file and a directory, goes on with the next, and exits 1', () => {
    const r = wm('cat', ['/work/nope', '/work/d', '/work/f']);
    expect(r).toEqual({
      code: 1, stdout: 'a\nb\n', stderr: 'cat: /work/nope: No such file or directory\ncat: /work/d: Is a directory\n',
    });
  });

  it('-n numbers lines across files, as GNU cat', () => {
    const r = wm('cat', ['-n', '/work/nonl', '/work/f']);
    expect(r.stdout).toBe('     1\ta\n     2\tb\n     3\tca\n     4\tb\n');
  });

  it.skipIf(!HAVE_GNU)('matches GNU cat', async () => {
    await sameAsGnu('cat', [
      ...args(['/work/f', '/work/nonl', '/work/f'], ['-n', '/work/nonl', '/work/f', '/work/nonl'], ['-u', '/work/f'],
        ['-n', '/work/big'], ['-n', '/work/empty'], ['--number', '/work/f'], ['/work/nope', '/work/d', '/work/f'],
        ['-x'], ['--foo'], ['-n', '/work/bin'], ['/work/long']),
      ...withInput('x\ny', ['-n', '-', '/work/f'], ['-'], []),
    ]);
  }, TABLE);
});

describe('echo', () => {
  it('joins its arguments; -n, -e and -E as GNU echo', () => {
    expect(wm('echo', ['hello', 'world']).stdout).toBe('hello world\n');
    expect(wm('echo', ['-n', 'a']).stdout).toBe('a');
    expect(wm('echo', ['-e', 'a\\tb\\nc\\\\d']).stdout).toBe('a\tb\nc\\d\n');
    expect(wm('echo', ['-e', 'x\\cy', 'z']).stdout).toBe('x');
    expect(wm('echo', ['-eE', 'a\\tb']).stdout).toBe('a\\tb\n');
    expect(wm('echo', ['--', '-n']).stdout).toBe('-- -n\n');
    expect(wm('echo', []).stdout).toBe('\n');
  });

  it.skipIf(!HAVE_GNU)('matches GNU echo', async () => {
    await sameAsGnu('echo', args(
      ['hello', 'world'], ['-n', 'hello'], ['-e', 'a\\tb\\nc'], ['-E', 'a\\tb'], ['a\\tb'], ['-e', 'a\\cb', 'c'],
      ['-e', '\\0101\\101\\x41\\x4\\xg\\q\\\\ \\e\\a\\b\\f\\r\\v'], ['-e', '\\01234\\1234\\08\\8\\0777'], ['-e', 'x\\'],
      ['-neE', 'a\\n'], ['-en', 'a\\n'], ['-nx', 'a'], ['-', '--', 'a'], ['', ''], ['-n'], ['-e', '\\x414'],
    ));
  }, TABLE);
});

describe('true and false', () => {
  it('exit 0 and 1 whatever their arguments, printing nothing', () => {
    expect(wm('true', ['--bogus', 'x'])).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(wm('false', ['-x'])).toEqual({ code: 1, stdout: '', stderr: '' });
  });
});

/** Runs PROG under webmach, reads `want` bytes of its output, then closes the pipe. */
function readThenClose(prog: string, argv: string[], want: number): Promise<{ code: number | null; out: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, wmArgs(prog, argv, []), { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = Buffer.alloc(0);
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      out = Buffer.concat([out, d]);
      if (out.length >= want) child.stdout.destroy();
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, out: out.subarray(0, want).toString('latin1'), stderr }));
  });
}

describe('yes', () => {
  it('repeats "y" until its reader is gone, then ends quietly by SIGPIPE (141)', async () => {
    const r = await readThenClose('yes', [], 300_000);
    expect(r.out).toBe('y\n'.repeat(150_000));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(141);
  });

  it('repeats its arguments joined by spaces; "--" ends options; any option is refused', async () => {
    const r = await readThenClose('yes', ['a b', 'c', '--', '-x'], 100_000);
    expect(r.out).toBe('a b c -x\n'.repeat(12_000).slice(0, 100_000));
    expect(r.code).toBe(141);
    const long = 'z'.repeat(40_000); // more than half the write buffer: one copy a write
    expect((await readThenClose('yes', [long], 120_003)).out === `${long}\n`.repeat(3)).toBe(true);
    expect(wm('yes', ['-x'])).toEqual({ code: 1, stdout: '', stderr: "yes: invalid option -- 'x'\nTry 'yes --help' for more information.\n" });
    expect(wm('yes', ['a', '--foo']).stderr).toBe("yes: unrecognized option '--foo'\nTry 'yes --help' for more information.\n");
  });

  it('feeds a pipeline: yes | head -n 2 (two webmach processes joined by a host pipe)', async () => {
    const yes = spawn(process.execPath, wmArgs('yes', [], []), { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const head = spawn(process.execPath, wmArgs('head', ['-n', '2'], []), { cwd: ROOT, stdio: [yes.stdout, 'pipe', 'pipe'] });
    yes.stdout.destroy(); // head holds the only read end now
    let out = '';
    head.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const [yesCode, headCode] = await Promise.all([
      new Promise((resolve) => yes.on('close', resolve)),
      new Promise((resolve) => head.on('close', resolve)),
    ]);
    expect(out).toBe('y\ny\n');
    expect(headCode).toBe(0);
    expect(yesCode).toBe(141);
  });
});

describe('seq', () => {
  it('counts up and down, with decimals as GNU seq prints them', () => {
    expect(wm('seq', ['3']).stdout).toBe('1\n2\n3\n');
    expect(wm('seq', ['-1', '1']).stdout).toBe('-1\n0\n1\n');
    expect(wm('seq', ['5', '-2', '1']).stdout).toBe('5\n3\n1\n');
    expect(wm('seq', ['0', '0.1', '0.3']).stdout).toBe('0.0\n0.1\n0.2\n0.3\n');
    expect(wm('seq', ['-w', '-s', ',', '8', '11']).stdout).toBe('08,09,10,11\n');
    expect(wm('seq', ['2', '1'])).toEqual({ code: 0, stdout: '', stderr: '' });
    // exact past 64 bits (GNU seq, in long double, repeats 1000000000000000000000 here)
    expect(wm('seq', ['-s', ' ', '999999999999999999998', '7', '1000000000000000000020']).stdout)
      .toBe('999999999999999999998 1000000000000000000005 1000000000000000000012 1000000000000000000019\n');
    expect(wm('seq', ['1', '0', '2'])).toEqual({
      code: 1, stdout: '', stderr: "seq: invalid Zero increment value: '0'\nTry 'seq --help' for more information.\n",
    });
  });

  it.skipIf(!HAVE_GNU)('matches GNU seq', async () => {
    await sameAsGnu('seq', args(
      ['5'], ['-w', '-5', '5'], ['-w', '1', '0.5', '3'], ['0.1', '0.1', '0.5'], ['1e2', '1e2', '5e2'], ['-s,', '-w', '8', '11'],
      ['0x10', '0x12'], ['-0', '1'], ['1', '-1', '5'], ['0', '0.1', '1'], ['-w', '1', '.5', '3'], ['-w', '.5', '3'],
      ['-w', '-1.5', '1', '2'], ['0', '0.000001', '0.000003'], ['1', '1e-1', '1.5'], ['-w', '1e1', '1e1', '5e1'], ['10', '-1'],
      ['-1', '-.5', '-3'], ['2.50', '0.25', '3'], ['-w', '-0', '2'], ['100000000000000000000', '100000000000000000002'],
      ['-w', '0003', '5'], ['--separator=-', '--equal-width', '9', '11'], ['1', '1000'],
      ['1', '0', '5'], ['1', '2', '3', '4'], [], ['abc'], ['nan'], ['-x'], ['-s'],
    ));
  }, TABLE);
});

describe('sleep', () => {
  it('sleeps for the sum of its operands, with s/m/h/d suffixes and decimals', () => {
    const start = Date.now();
    const r = wm('sleep', ['0.5', '0.25s', '0.0125m', '0h', '0d']); // 1.5 s
    const elapsed = Date.now() - start;
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(elapsed).toBeGreaterThanOrEqual(1500);
    expect(elapsed).toBeLessThan(15_000);
  });

  it.skipIf(!HAVE_GNU)('refuses bad intervals and options as GNU sleep', async () => {
    await sameAsGnu('sleep', args([], ['x'], ['1', 'y', '2z'], ['-1'], ['5x'], ['1ss'], ['--foo'], ['0', '-x'], ['nan'], ['0', '.001', '1e-3s']));
  }, TABLE);
});

describe('env', () => {
  it('prints the environment, changed by -i, -u, - and NAME=VALUE; -0 ends items with NUL', () => {
    const env = ['A=1', 'B=two words'];
    expect(wm('env', [], { env })).toEqual({ code: 0, stdout: 'A=1\nB=two words\n', stderr: '' });
    expect(wm('env', ['-u', 'A', 'C=3'], { env }).stdout).toBe('B=two words\nC=3\n');
    expect(wm('env', ['-i', 'X=1', 'A=new'], { env }).stdout).toBe('X=1\nA=new\n');
    expect(wm('env', ['-', 'X=1'], { env }).stdout).toBe('X=1\n');
    expect(wm('env', ['A=changed'], { env }).stdout).toBe('A=changed\nB=two words\n');
    expect(wm('env', ['-0', '-i', 'X=1', 'Y=2']).stdout).toBe('X=1\0Y=2\0');
    expect(wm('env', ['-i'])).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('runs a command with posix_spawnp and the changed environment, and exits with its status', () => {
    copyFileSync(join(ROOT, 'userland/bin/printenv.wasm'), join(tmp, 'printenv'));
    copyFileSync(join(ROOT, 'userland/bin/false.wasm'), join(tmp, 'false'));
    expect(wm('env', ['FOO=bar', '/work/printenv', 'FOO'])).toEqual({ code: 0, stdout: 'bar\n', stderr: '' });
    expect(wm('env', ['-i', 'FOO=bar', '/work/printenv']).stdout).toBe('FOO=bar\n');
    expect(wm('env', ['-u', 'A', '/work/printenv', 'A'], { env: ['A=1'] })).toEqual({ code: 1, stdout: '', stderr: '' });
    expect(wm('env', ['/work/false']).code).toBe(1);
    // found on PATH, which the command line changed
    expect(wm('env', ['-i', 'PATH=/nowhere:/work', 'A=5', 'printenv', 'A'])).toEqual({ code: 0, stdout: '5\n', stderr: '' });
  });

  it('exits 127 for a command not found, 126 for one that cannot run, 125 for its own errors', () => {
    expect(wm('env', ['-i', 'PATH=/work', 'nope'])).toEqual({ code: 127, stdout: '', stderr: "env: 'nope': No such file or directory\n" });
    const text = wm('env', ['/work/f']);
    expect(text.code).toBe(126);
    expect(text.stderr).toMatch(/^env: '\/work\/f': [A-Z][^\n]*\n$/);
    expect(wm('env', ['/work/d']).code).toBe(126);
    expect(wm('env', ['-x'])).toEqual({ code: 125, stdout: '', stderr: "env: invalid option -- 'x'\nTry 'env --help' for more information.\n" });
    expect(wm('env', ['-u'])).toEqual({ code: 125, stdout: '', stderr: "env: option requires an argument -- 'u'\nTry 'env --help' for more information.\n" });
    expect(wm('env', ['-u', 'a=b'])).toEqual({ code: 125, stdout: '', stderr: "env: cannot unset 'a=b': Invalid argument\n" });
    expect(wm('env', ['-0', '/work/f'])).toEqual({
      code: 125, stdout: '', stderr: "env: cannot specify --null (-0) with command\nTry 'env --help' for more information.\n",
    });
  });

  it('exits 128+N when the command is ended by signal N (yes, its reader gone: SIGPIPE)', async () => {
    copyFileSync(join(ROOT, 'userland/bin/yes.wasm'), join(tmp, 'yes'));
    const r = await readThenClose('env', ['/work/yes'], 1000);
    expect(r.out).toBe('y\n'.repeat(500));
    expect(r.code).toBe(141);
  });

  it.skipIf(!HAVE_GNU)('matches GNU env', () => {
    for (const argv of [['-i', 'B=2', 'A=1'], ['-u', 'A'], ['-0', 'Z=1'], ['-', 'Q=1'], ['-x'], ['--foo'], ['-u'], ['-u', 'a=b']]) {
      const expected = gnu('env', argv, { env: { A: '1', B: 'b' } });
      expect(wm('env', argv, { env: ['A=1', 'B=b'] }), JSON.stringify(argv)).toEqual(expected);
    }
  }, TABLE);
});

describe('printenv', () => {
  it('prints every variable, or the values of those named; 1 when one is missing; 2 for a bad option', () => {
    const env = ['A=1', 'B=two words'];
    expect(wm('printenv', [], { env })).toEqual({ code: 0, stdout: 'A=1\nB=two words\n', stderr: '' });
    expect(wm('printenv', ['B', 'A'], { env })).toEqual({ code: 0, stdout: 'two words\n1\n', stderr: '' });
    expect(wm('printenv', ['A', 'NOPE', 'B', 'A=1'], { env })).toEqual({ code: 1, stdout: '1\ntwo words\n', stderr: '' });
    expect(wm('printenv', ['-0', 'A', 'B'], { env }).stdout).toBe('1\0two words\0');
    expect(wm('printenv', ['-x'])).toEqual({ code: 2, stdout: '', stderr: "printenv: invalid option -- 'x'\nTry 'printenv --help' for more information.\n" });
  });

  it.skipIf(!HAVE_GNU)('matches GNU printenv', () => {
    for (const argv of [[], ['A'], ['B', 'A', 'C'], ['-0'], ['--null', 'A'], ['A='], ['-x'], ['--foo']]) {
      const expected = gnu('printenv', argv, { env: { A: '1', B: 'b' } });
      expect(wm('printenv', argv, { env: ['A=1', 'B=b'] }), JSON.stringify(argv)).toEqual(expected);
    }
  }, TABLE);
});

describe('basename and dirname', () => {
  it('strip directories and suffixes as GNU does', () => {
    expect(wm('basename', ['/usr/lib/']).stdout).toBe('lib\n');
    expect(wm('basename', ['/a/b.c', '.c']).stdout).toBe('b\n');
    expect(wm('basename', ['-s', '.c', 'x/a.c', 'b.c', '.c']).stdout).toBe('a\nb\n.c\n');
    expect(wm('basename', ['-a', 'x/y', '//']).stdout).toBe('y\n/\n');
    expect(wm('dirname', ['/usr/lib/', 'lib', '/', 'a//b//']).stdout).toBe('/usr\n.\n/\na\n');
    expect(wm('basename', [])).toEqual({ code: 1, stdout: '', stderr: "basename: missing operand\nTry 'basename --help' for more information.\n" });
    expect(wm('basename', ['a', 'b', 'c']).stderr).toBe("basename: extra operand 'c'\nTry 'basename --help' for more information.\n");
  });

  const names = [
    ['/usr/lib/'], ['lib'], ['/'], ['//'], ['///a//b///'], [''], ['..'], ['//a'], ['.c', '.c'], ['/', '/'], ['a/b.c/', '.c'],
    ['-a', 'x/y', 'z/w', '', 'a//b'], ['-s', '.c', 'a.c', 'b.c', 'c.h'], ['-az', 'a/b', 'c'], ['-x'], ['a', 'b', 'c'], ['-s'], [],
  ];
  it.skipIf(!HAVE_GNU)('match GNU basename and dirname', async () => {
    await sameAsGnu('basename', args(...names));
    await sameAsGnu('dirname', args(...names));
  }, TABLE);
});

describe('tee', () => {
  it('copies standard input to standard output and each file, truncating them', () => {
    writeFileSync(join(tmp, 'old'), 'old contents that are longer\n');
    const r = wm('tee', ['/work/o1', '/work/old'], { input: 'hello\nworld' });
    expect(r).toEqual({ code: 0, stdout: 'hello\nworld', stderr: '' });
    expect(read('o1')).toBe('hello\nworld');
    expect(read('old')).toBe('hello\nworld');
  });

  it('takes "-" as a file name, as POSIX says (not standard output again)', () => {
    const r = spawnSync(process.execPath, [BIN, 'run', '--dir', `${tmp}::.`, 'userland/bin/tee.wasm', '-'], {
      cwd: ROOT, encoding: 'latin1', input: 'once\n', timeout: 30_000,
    });
    expect({ code: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 0, stdout: 'once\n', stderr: '' });
    expect(read('-')).toBe('once\n');
  });

  it('-a appends', () => {
    writeFileSync(join(tmp, 'log'), 'first\n');
    expect(wm('tee', ['-a', '/work/log'], { input: 'second\n' }).stdout).toBe('second\n');
    expect(wm('tee', ['--append', '/work/log', '/work/new'], { input: 'third\n' }).code).toBe(0);
    expect(read('log')).toBe('first\nsecond\nthird\n');
    expect(read('new')).toBe('third\n');
  });

  it('copies large binary input whole', () => {
    const data = readFileSync(join(tmp, 'bin'));
    const r = wm('tee', ['/work/copy'], { input: data });
    expect(r.stdout).toBe(data.toString('latin1'));
    expect(readFileSync(join(tmp, 'copy')).equals(data)).toBe(true);
  });

  it('reports a file it cannot open, still writes the others, and exits 1', () => {
    const r = wm('tee', ['/work/a', '/work/nope/x', '/work/d', '/work/b'], { input: 'x\n' });
    expect(r).toEqual({
      code: 1, stdout: 'x\n',
      stderr: 'tee: /work/nope/x: No such file or directory\ntee: /work/d: Is a directory\n',
    });
    expect(read('a')).toBe('x\n');
    expect(read('b')).toBe('x\n');
    expect(wm('tee', ['-x'])).toEqual({ code: 1, stdout: '', stderr: "tee: invalid option -- 'x'\nTry 'tee --help' for more information.\n" });
  });
});

describe('head', () => {
  it('prints the first 10 lines, or -n N lines, or -c N bytes', () => {
    expect(wm('head', ['/work/s20']).stdout).toBe(seqLines(1, 10));
    expect(wm('head', ['-n', '3', '/work/s20']).stdout).toBe('1\n2\n3\n');
    expect(wm('head', ['-n', '-17', '/work/s20']).stdout).toBe('1\n2\n3\n');
    expect(wm('head', ['-c', '5'], { input: 'abcdefgh' }).stdout).toBe('abcde');
    expect(wm('head', ['-c', '-5'], { input: 'abcdefgh' }).stdout).toBe('abc');
    expect(wm('head', ['-n', '1', '/work/f', '/work/nonl']).stdout).toBe('==> /work/f <==\na\n\n==> /work/nonl <==\na\n');
    expect(wm('head', ['/work/nope'])).toEqual({
      code: 1, stdout: '', stderr: "head: cannot open '/work/nope' for reading: No such file or directory\n",
    });
  });

  const files = ['/work/big', '/work/bin', '/work/nonl', '/work/long'];
  const counts = [['-n', '3'], ['-c', '7'], ['-n', '0'], ['-n', '-29990'], ['-n', '29990'], ['-c', '-199999'],
    ['-n', '-1'], ['-c', '-1000001']];
  it.skipIf(!HAVE_GNU)('matches GNU head on files and on standard input', async () => {
    const cases: Case[] = [{ args: ['-n', '-1', '/work/empty'] }, { args: ['-n', '-0', '/work/nonl'] }];
    for (const c of counts) {
      for (const f of files) cases.push({ args: [...c, f] });
      cases.push({ args: c, input: readFileSync(join(tmp, c[1] === '-1' ? 'nonl' : 'bin')) });
    }
    await sameAsGnu('head', cases);
  }, TABLE);

  it.skipIf(!HAVE_GNU)('matches GNU head: headers, old form, multipliers and errors', async () => {
    await sameAsGnu('head', [
      ...args(['/work/s20', '/work/nonl'], ['-q', '/work/s20', '/work/nonl'], ['-v', '/work/s20'], ['/work/nope', '/work/s20', '/work/d', '/work/nonl'],
        ['-3', '/work/s20'], ['-3c', '/work/s20'], ['-2v', '/work/s20'], ['-n', '1k', '/work/big'], ['-c', '1kB', '/work/big'],
        ['-c', '1KiB', '/work/big'], ['-c', '1b', '/work/big'], ['-n', '+5', '/work/s20'], ['-n', ' 5', '/work/s20'], ['-n', '1x', '/work/s20'],
        ['-n', '-x', '/work/s20'], ['-c', '1Z', '/work/s20'], ['-n', '99999999999999999999999', '/work/f'], ['-n', ''], ['-n'], ['--lines'],
        ['-x'], ['--foo'], ['--lines=2', '--bytes=3', '/work/s20'], ['/work/f', '-n', '1'], ['--quiet', '/work/f', '/work/f']),
      ...withInput('one\ntwo\nthree\n', ['-n', '2', '-'], ['-', '/work/f'], ['-v'], ['-n', '1', '/work/f', '-']),
    ]);
  }, TABLE);
});

describe('tail', () => {
  it('prints the last 10 lines, -n N, -n +N, -c N, -c +N, from files and standard input', () => {
    expect(wm('tail', ['/work/s20']).stdout).toBe(seqLines(11, 20));
    expect(wm('tail', ['-n', '2', '/work/big']).stdout).toBe('29999\n30000\n');
    expect(wm('tail', ['-n', '2'], { input: readFileSync(join(tmp, 'big')) }).stdout).toBe('29999\n30000\n');
    expect(wm('tail', ['-n', '+29999', '/work/big']).stdout).toBe('29999\n30000\n');
    expect(wm('tail', ['-n', '1', '/work/nonl']).stdout).toBe('c');
    expect(wm('tail', ['-c', '3'], { input: 'abcdefgh' }).stdout).toBe('fgh');
    expect(wm('tail', ['-c', '+3'], { input: 'abcdefgh' }).stdout).toBe('cdefgh');
    expect(wm('tail', ['/work/d']).stderr).toBe("tail: error reading '/work/d': Is a directory\n");
  });

  const files = ['/work/big', '/work/bin', '/work/nonl', '/work/long'];
  const counts = [['-n', '3'], ['-c', '7'], ['-n', '+29990'], ['-n', '29990'], ['-c', '199999'], ['-c', '+5'],
    ['-n', '1'], ['-n', '5000'], ['-c', '1000001']];
  it.skipIf(!HAVE_GNU)('matches GNU tail on files (read from the end) and on standard input (read through)', async () => {
    const cases: Case[] = [{ args: ['-n', '1', '/work/empty'] }, { args: ['-n', '0', '/work/big'] }, { args: ['-n', '+0', '/work/f'] }];
    for (const c of counts) {
      for (const f of files) cases.push({ args: [...c, f] });
      cases.push({ args: c, input: readFileSync(join(tmp, c[1] === '1' ? 'nonl' : 'bin')) });
    }
    await sameAsGnu('tail', cases);
  }, TABLE);

  it.skipIf(!HAVE_GNU)('matches GNU tail: headers, old form, multipliers and errors', async () => {
    await sameAsGnu('tail', [
      ...args(['/work/s20', '/work/nonl'], ['-q', '/work/s20', '/work/nonl'], ['-v', '-n1', '/work/s20'], ['/work/nope', '/work/s20', '/work/d', '/work/nonl'],
        ['-3', '/work/s20'], ['-3c', '/work/s20'], ['+18', '/work/s20'], ['+18c', '/work/s20'], ['-2', '/work/s20', '/work/s20'],
        ['-n', '1k', '/work/big'], ['-c', '1kB', '/work/big'], ['-n', '+19', '/work/s20'], ['-n+19', '/work/s20'], ['-n', '1x', '/work/s20'],
        ['-c', '1Z', '/work/f'], ['-n', '99999999999999999999999', '/work/f'], ['-n'], ['--lines'], ['-x'], ['--foo'],
        ['--lines=2', '--bytes=3', '/work/s20'], ['--silent', '/work/f', '/work/f']),
      ...withInput('one\ntwo\nthree\n', ['-n', '2', '-'], ['-', '/work/f'], ['-v'], ['-3'], ['+2']),
    ]);
  }, TABLE);
});

describe('wc', () => {
  it('counts lines, words and bytes in GNU wc columns, with a total', () => {
    expect(wm('wc', ['/work/f'])).toEqual({ code: 0, stdout: '2 2 4 /work/f\n', stderr: '' });
    expect(wm('wc', [], { input: 'a b\nc' }).stdout).toBe('      1       3       5\n');
    expect(wm('wc', ['-l', '/work/f', '/work/big']).stdout).toBe('     2 /work/f\n 30000 /work/big\n 30002 total\n');
    expect(wm('wc', ['-m'], { input: Buffer.from('héllo\n') }).stdout).toBe('6\n');
    const r = wm('wc', ['/work/nope', '/work/d', '/work/f']);
    expect(r).toEqual({
      code: 1,
      stdout: '      0       0       0 /work/d\n      2       2       4 /work/f\n      2       2       4 total\n',
      stderr: 'wc: /work/nope: No such file or directory\nwc: /work/d: Is a directory\n',
    });
  });

  const ascii = 'Hello, world!\n\tTabs  and   spaces\n\x01 \x02 ctl\x03x\nno newline at end';
  it.skipIf(!HAVE_UTF8)('matches GNU wc in a UTF-8 locale', async () => {
    await sameAsGnu('wc', [
      ...args([], ['-l'], ['-w'], ['-c'], ['-m'], ['-lwmc'], ['/work/f'], ['-l', '/work/f'], ['/work/f', '/work/f', '/work/f'],
        ['/work/nope', '/work/d', '/work/f'], ['/work/nope', '/work/big'], ['-c', '/work/s20', '/work/big'], ['-m', '/work/u8'],
        ['/work/u8'], ['-wm', '/work/u8', '/work/big'], ['-lc', '/work/bin'], ['/work/long'], ['/work/empty'], ['/work/nonl'],
        ['-x'], ['--foo'], ['--lines', '--chars', '/work/f'], ['--words', '--bytes', '/work/f']),
      ...withInput(ascii, [], ['-w'], ['-'], ['-', '/work/f'], ['-l', '-'], ['-cm']),
      ...withInput(UTF8_TEXT, [], ['-m'], ['-lwmc']),
    ], 'C.UTF-8');
  }, TABLE);
});

describe('tr', () => {
  it('translates, deletes and squeezes', () => {
    expect(wm('tr', ['a-z', 'A-Z'], { input: 'hello, world\n' }).stdout).toBe('HELLO, WORLD\n');
    expect(wm('tr', ['-d', '[:digit:]\\n'], { input: 'a1b2\nc3\n' }).stdout).toBe('abc');
    expect(wm('tr', ['-s', ' '], { input: 'a   b  c\n' }).stdout).toBe('a b c\n');
    expect(wm('tr', ['-cs', '[:alpha:]', '\\n'], { input: 'one, two;  three\n' }).stdout).toBe('one\ntwo\nthree\n');
    expect(wm('tr', ['abc', 'x'], { input: 'aabbcc' }).stdout).toBe('xxxxxx');
    expect(wm('tr', ['a'])).toEqual({
      code: 1, stdout: '',
      stderr: "tr: missing operand after 'a'\nTwo strings must be given when translating.\nTry 'tr --help' for more information.\n",
    });
  });

  const input = Buffer.concat([Buffer.from('Hello, World!\n\tTabs  and   spaces\nabc-xyz [x] \\ 123\x01\xff\x80\n', 'latin1'), noise(100_000)]);
  it.skipIf(!HAVE_GNU)('matches GNU tr', async () => {
    await sameAsGnu('tr', withInput(input,
      ['a-z', 'A-Z'], ['[:lower:]', '[:upper:]'], ['[:upper:]', '[:lower:]'], ['[:upper:][:lower:]', '[:lower:][:upper:]'],
      ['a-z', '[:upper:]'], ['[:lower:]', 'A-Z'], ['a-z', '[:digit:]'], ['[:lower:]l', '[:upper:]x'], ['l[:lower:]', 'x[:upper:]'],
      ['aa', 'xy'], ['-c', 'a', 'xy'], ['-c', '[:lower:]', '[:upper:]'], ['-c', '[:lower:]', 'xy'], ['-c', '[:lower:]', 'x'],
      ['-ct', 'a', 'xy'], ['-ds', 'l'], ['-d', 'a', 'b'], ['a', 'b', 'c'], ['a\\', 'b'], ['\\\\', 'x'],
      ['[l*2]', 'x'], ['a-z', '[x*3]Y'], ['a-z', 'A[x*]Z'], ['hel', '[x*][y*]'], ['el', '[x*09]'], ['el', '[x*010]'],
      ['[=l=]', 'x'], ['[=ll=]', 'x'], ['-t', 'abcdefgh', 'xy'], ['a-', 'xy'], ['\\150', 'X'], ['\\400', 'X'], ['\\1234', 'X'],
      ['[e', 'xy'], ['[:lower', 'x'], ['', 'x'], ['a', ''], ['-c', '-d', '[:alpha:]'], ['-cs', 'a-z', '\\n'], ['a-z', 'A-C'],
      ['e-a', 'x'], ['\\n-\\001', 'x'], ['\\e', 'x'], ['[:foo:]', 'x'], ['[::]', 'x'], ['a-z', '[=x=]'], ['-d', '[l*]'],
      ['-s', '[:lower:]', '[:upper:]'], ['a', '[x*2][y*]z'], ['-sc', 'a-z'], ['-ds', 'a-z', ' '], ['-ds', 'a-z', '[x*]'],
      ['[:punct:][:cntrl:]', '[x*]'], ['\\000-\\377', '[x*200][y*]'], ['[:blank:]', '[:print:]'], ['-d', '[:xdigit:][:graph:]'],
      ['[a*100000000]b', '[x*100000000]y'], ['--delete', '--complement', 'a'], ['-x'], ['--foo'], [],
    ));
  }, TABLE);
});

describe('cut', () => {
  it('selects bytes, characters and fields', () => {
    expect(wm('cut', ['-b', '1,3-4'], { input: 'abcdef\nxy' }).stdout).toBe('acd\nx\n');
    expect(wm('cut', ['-c', '2-'], { input: 'abc\n' }).stdout).toBe('bc\n');
    expect(wm('cut', ['-f', '2', '-d', ':', '/work/cin']).stdout).toBe('b\n2\nnodelim\n\n\ny\nline\n');
    expect(wm('cut', ['-s', '-f', '1,3', '-d:', '/work/cin']).stdout).toBe('a:c\n1\n:\nx:z\nlast\n');
    expect(wm('cut', ['-f', '2', '/work/tin']).stdout).toBe('b\ne\n');
    expect(wm('cut', ['-b', '1', '/work/nope', '/work/d', '/work/f'])).toEqual({
      code: 1, stdout: 'a\nb\n', stderr: 'cut: /work/nope: No such file or directory\ncut: /work/d: Is a directory\n',
    });
    expect(wm('cut', [])).toEqual({
      code: 1, stdout: '', stderr: "cut: you must specify a list of bytes, characters, or fields\nTry 'cut --help' for more information.\n",
    });
  });

  it.skipIf(!HAVE_GNU)('matches GNU cut', async () => {
    await sameAsGnu('cut', [
      ...withInput('abcdefgh\nxy\n\nlast',
        ['-b1-2,3-4', '--output-delimiter=:'], ['-b1-2,4-5,3', '--output-delimiter=:'], ['-b1,3', '--output-delimiter=::'],
        ['-b', '2-,1', '--complement'], ['-b', '-3,5-'], ['-b', '1 3'], ['-b', '1-'], ['-c', '2-4,1'],
        ['-b', '1-2,2-3', '--output-delimiter=:'], ['--complement', '-b', '1-'], ['-n', '-b', '2'], ['-b', '3-2'],
        ['-b0'], ['-c0'], ['-b', 'x'], ['-b', ''], ['-b', ','], ['-b', '-'], ['-b', '3--'], ['-b', '99999999999999999999999'],
        ['-b', '18446744073709551615'], ['-b', '1', '-'], ['-b', '5', '-', '/work/f']),
      ...args(['-f', '1', '-d:', '/work/cin'], ['-f', '2', '-d:', '/work/cin'], ['-f', '2-', '-d:', '/work/cin'], ['-f', '-2', '-d:', '/work/cin'],
        ['-f', '1,3', '-d:', '/work/cin'], ['-f', '1,3', '-d:', '-s', '/work/cin'], ['-f', '2', '-d:', '--complement', '/work/cin'],
        ['-f', '1,3', '-d:', '--output-delimiter=XY', '/work/cin'], ['-f', '5', '-d:', '/work/cin'], ['-f', '5', '-d:', '-s', '/work/cin'],
        ['-d:', '-f', '3,1', '/work/cin'], ['-f', '1', '/work/tin'], ['-f', '2', '/work/tin', '/work/cin'], ['-f', '1-', '-d:', '--complement', '/work/cin'],
        ['-f', '2', '-d:', '/work/nope', '/work/d', '/work/cin'], ['-b', '2', '/work/nope', '/work/cin'], ['-b', '1-3', '/work/bin'],
        ['-f', '2', '-d', '', '/work/bin'], ['-f', '2', '-d:', '/work/long'], ['-b', '999990-1000010', '/work/long'], ['-f', '1', '-d', ' ', '-s', '/work/tin'],
        ['-f', '2', '-d:', '/work/big'], ['-f', '1,,3'], ['-f', '99999999999999999999999'], ['-f', 'x'], ['-f', '1-2-3'], ['-f', '-'], ['-f0'],
        ['-f', '2-1'], ['-d', 'ab', '-f1'], ['-d:', '-b1'], ['-s', '-b1'], ['-b1', '-f1'], [], ['-x'], ['--foo'], ['-b'], ['--bytes'], ['-f', '1', '-d']),
    ]);
  }, TABLE);
});

describe('reading a directory', () => {
  it('is an error each reader names, as on Linux', () => {
    expect(existsSync(join(tmp, 'd'))).toBe(true);
    expect(wm('cat', ['/work/d']).stderr).toBe('cat: /work/d: Is a directory\n');
    expect(wm('head', ['/work/d']).stderr).toBe("head: error reading '/work/d': Is a directory\n");
    expect(wm('wc', ['-c', '/work/d'])).toEqual({ code: 1, stdout: '0 /work/d\n', stderr: 'wc: /work/d: Is a directory\n' });
    expect(wm('cut', ['-b1', '/work/d']).code).toBe(1);
  });
});
