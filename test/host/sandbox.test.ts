// The host-mount sandbox under attack: real C programs (test/programs/sandbox/) try to leave a mounted
// host directory (stale descriptors of renamed directories, symlinks swapped in, '..', hard links,
// renames, racing processes in the machine and on the host) and the tests check that nothing outside
// the mount was read, listed or changed. Also: O_APPEND on a host file is atomic across two CLIs, and a
// host directory mounted as the program's root ("/", devfs at /dev).
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Machine, type Census } from '../../dist/host/machine.js';
import { CapturePlatform } from '../../dist/host/node/capture.js';

const BIN = fileURLToPath(new URL('../../bin/webmach.js', import.meta.url));
const PROGRAMS = fileURLToPath(new URL('../programs/sandbox/', import.meta.url));
const SECRET = `TOPSECRET-${process.pid}`;

/** What the host holds under `dir`: every entry with its type, content (files, links) and mtime. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (rel: string) => {
    const p = path.join(dir, rel);
    const st = fs.lstatSync(p, { bigint: true });
    const what = st.isSymbolicLink() ? `link ${fs.readlinkSync(p)}` : st.isFile() ? `file ${fs.readFileSync(p, 'utf8')}` : 'dir';
    out[rel] = `${what} ino=${st.ino} mtime=${st.mtimeNs}`;
    if (st.isDirectory()) for (const name of fs.readdirSync(p)) visit(path.join(rel, name));
  };
  visit('.');
  return out;
}

/**
 * A temporary tree: `box` to mount, and beside it `outside` with sentinels: `secret` (never to appear in any
 * output), `victim` (never to change) and `keep/` (never to gain entries).
 */
class Tree {
  readonly top = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'webmach-sandbox-')));
  readonly box = path.join(this.top, 'box');
  readonly outside = path.join(this.top, 'outside');
  private before: Record<string, string>;

  constructor() {
    fs.mkdirSync(this.box);
    fs.mkdirSync(path.join(this.outside, 'keep'), { recursive: true });
    fs.writeFileSync(path.join(this.outside, 'secret'), SECRET);
    fs.writeFileSync(path.join(this.outside, 'victim'), 'victim');
    this.before = snapshot(this.outside);
  }

  /** What is outside now is what must stay (after the test itself changed it). */
  rebase(): void {
    this.before = snapshot(this.outside);
  }

  /** Nothing outside the mount was read (the secret is not in `output`) or changed. */
  expectOutsideUntouched(output: string): void {
    expect(output).not.toContain(SECRET);
    expect(snapshot(this.outside)).toEqual(this.before);
  }

  remove(): void {
    fs.rmSync(this.top, { recursive: true, force: true });
  }
}

const trees: Tree[] = [];
function tree(): Tree {
  const t = new Tree();
  trees.push(t);
  return t;
}
afterEach(() => {
  for (const t of trees.splice(0)) t.remove();
});

/** `webmach run` with `args`; resolves with the exit code and output. */
function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'run', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * A host-side racer: a Node process swapping `box/d` with a symlink to one of `targets` (in turn) in a
 * tight loop until killed.
 */
function hostRacer(box: string, targets: string[]): ChildProcess {
  const script = `
    const fs = require('node:fs');
    const [d, real, ...targets] = process.argv.slice(1);
    for (let i = 0; ; i++) {
      try { fs.renameSync(d, real); fs.symlinkSync(targets[i % targets.length], d); fs.unlinkSync(d); fs.renameSync(real, d); } catch {}
    }`;
  return spawn(process.execPath, ['-e', script, path.join(box, 'd'), path.join(box, 'd_real'), ...targets], { stdio: 'ignore' });
}

async function waitFor(p: string): Promise<void> {
  for (let i = 0; i < 2000 && !fs.existsSync(p); i++) await new Promise((r) => setTimeout(r, 10));
  if (!fs.existsSync(p)) throw new Error(`${p} never appeared`);
}

/** The lines of `out` as { what: result }. */
function results(out: string): Record<string, string> {
  return Object.fromEntries(out.split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]));
}

const NOT_CAPABLE = 'Capabilities insufficient';

describe('a stale descriptor of a renamed host directory (through the CLI)', () => {
  it('keeps naming the directory it was opened on: nothing of the symlink swapped in at its old path is reached', async () => {
    const t = tree();
    // The program links d to the outside with a relative target (it cannot make an absolute one).
    const target = path.relative(t.box, t.outside);
    const r = await cli('--dir', `${t.box}::/box`, path.join(PROGRAMS, 'sandbox.wasm'), 'stale', '/box', target);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = results(r.stdout);
    expect(out['symlink d -> outside']).toBe('ok');
    expect(out['openat secret']).toBe('No such file or directory');
    expect(out['openat inner']).toBe('read "inner"');
    expect(out.readdir).toBe('. .. inner');
    expect(out['descriptor names d_moved']).toBe('yes');
    t.expectOutsideUntouched(r.stdout);
    // What it made through the descriptor is in the directory it was opened on.
    expect(fs.readdirSync(path.join(t.box, 'd_moved')).sort()).toEqual(['created', 'newdir', 'newlink', 'victim']);
    expect(fs.readlinkSync(path.join(t.box, 'd'))).toBe(target);
  });
});

describe('the sandbox, through the Machine API', () => {
  const platform = new CapturePlatform();
  let machine: Machine;
  let sandbox: WebAssembly.Module;
  let mounts = 0;

  let idle: Census;

  beforeAll(async () => {
    machine = await Machine.boot(platform, { spareWorkers: 2 });
    sandbox = await WebAssembly.compile(fs.readFileSync(path.join(PROGRAMS, 'sandbox.wasm')));
    idle = await machine.census();
  });

  afterAll(async () => {
    await machine?.shutdown();
  });

  beforeEach(() => {
    platform.clear();
  });

  afterEach(async () => {
    expect(await machine.census()).toEqual(idle); // the attacks leaked nothing either
  });

  /** A fresh guest path for `host` (a mount lasts as long as the process that asked for it). */
  function mountOf(host: string) {
    const guest = `/box${++mounts}`;
    return { guest, mounts: [{ host, guest }] };
  }

  async function run(args: string[], mount?: { mounts: { host: string; guest: string }[] }) {
    const status = await machine.run(sandbox, ['sandbox.wasm', ...args], [], mount ? { mounts: mount.mounts } : {});
    expect(platform.out[2]).toBe('');
    expect(status).toEqual({ code: 0 });
    return platform.out[1];
  }

  it('refuses symlinks out (absolute, relative, .. chains), .. paths, hard links and renames out', async () => {
    const t = tree();
    const m = mountOf(t.box);
    // A program cannot make a symlink with an absolute target; the host (or whoever filled the
    // directory) can, so the ones the program tries to follow are made here.
    fs.symlinkSync(path.join(t.outside, 'secret'), path.join(t.box, 'abs'));
    for (const name of ['absdir', 'dangling']) fs.symlinkSync(t.outside, path.join(t.box, name));
    const out = await run(['escape', m.guest, t.outside], m);
    t.expectOutsideUntouched(out);
    const r = results(out);
    for (const what of ['symlink abs', 'symlink absdir', 'symlink dangling']) expect(r[what], what).toBe(NOT_CAPABLE);
    for (const what of ['open abs', 'open absdir/secret', 'readdir absdir', 'open rel', 'readdir up', 'open up/etc/passwd',
      'open a/b/c/l/secret', 'open a/b/../../../outside/secret', 'open ../outside/secret', 'create through absdir',
      'create through dangling', 'mkdir absdir/made', 'unlink absdir/victim', 'rename absdir/victim', 'rename mine out',
      'hard link abs followed', 'link victim in', 'utimens abs followed', 'truncate abs']) {
      expect(r[what], what).toBe(NOT_CAPABLE);
    }
    // A hard link of a symlink is another symlink, still refused when followed.
    expect(r['hard link abs']).toBe('ok');
    expect(r['open hard']).toBe(NOT_CAPABLE);
    expect(fs.readFileSync(path.join(t.box, 'mine'), 'utf8')).toBe('mine');
  });

  it('a descriptor of a directory the host moves out of the mount works as a handle, and .. never rises above it', async () => {
    const t = tree();
    fs.mkdirSync(path.join(t.box, 'd', 'sub'), { recursive: true });
    fs.writeFileSync(path.join(t.box, 'd', 'inner'), 'inner');
    const m = mountOf(t.box);
    const running = run(['moved', m.guest], m);
    await waitFor(path.join(t.box, 'ready'));
    fs.renameSync(path.join(t.box, 'd'), path.join(t.outside, 'moved'));
    t.rebase();
    fs.writeFileSync(path.join(t.box, 'go'), '');
    const out = await running;
    const r = results(out);
    expect(r['openat inner']).toBe('read "inner"');
    expect(r['readdir .'].split(' ').sort()).toEqual(['.', '..', 'inner', 'sub']);
    for (const what of ['openat ../secret', 'openat sub/../../secret', 'readdir ..', 'mkdir ../made']) expect(r[what], what).toBe(NOT_CAPABLE);
    t.expectOutsideUntouched(out);
    expect(fs.readdirSync(path.join(t.outside, 'moved')).sort()).toEqual(['inner', 'sub']);
  });

  it('a host-side racer swapping a directory and a symlink out while a program walks through it reaches nothing outside', async () => {
    const t = tree();
    fs.mkdirSync(path.join(t.box, 'd'));
    fs.writeFileSync(path.join(t.box, 'd', 'secret'), 'inner');
    const m = mountOf(t.box);
    const racer = hostRacer(t.box, [t.outside, '../outside']);
    try {
      const out = await run(['walk', m.guest, '1000'], m);
      expect(out).toContain('walked 1000\n');
      t.expectOutsideUntouched(out.replace('walked 1000\n', ''));
      expect(out).toBe('walked 1000\n');
    } finally {
      racer.kill();
    }
  });

  it('two processes of one machine, one swapping a directory and a symlink out, the other walking through it', async () => {
    const t = tree();
    fs.mkdirSync(path.join(t.box, 'd'));
    fs.writeFileSync(path.join(t.box, 'd', 'secret'), 'inner');
    const m = mountOf(t.box);
    const [swapped, walked] = await Promise.all([
      machine.run(sandbox, ['sandbox.wasm', 'swap', m.guest, t.outside, '1000'], [], { mounts: m.mounts }),
      machine.run(sandbox, ['sandbox.wasm', 'walk', m.guest, '1000']), // through webmach's root, where the mount is
    ]);
    expect([swapped, walked]).toEqual([{ code: 0 }, { code: 0 }]);
    expect(platform.out[2]).toBe('');
    const out = platform.out[1];
    expect(out).toMatch(/swapped [1-9]\d*\n/);
    expect(out).toContain('walked 1000\n');
    expect(out.replace(/swapped \d+\n|walked 1000\n/g, '')).toBe('');
    t.expectOutsideUntouched(out);
  });

  it('a host directory as "/": its files by absolute path, /dev from devfs, another mount beside it, and no way out', async () => {
    const t = tree();
    fs.writeFileSync(path.join(t.box, 'hello.txt'), 'hello');
    fs.symlinkSync(t.outside, path.join(t.box, 'absdir'));
    fs.symlinkSync('../outside', path.join(t.box, 'rel'));
    fs.symlinkSync('/etc', path.join(t.box, 'etclink'));
    fs.mkdirSync(path.join(t.box, 'dev'));
    fs.writeFileSync(path.join(t.box, 'dev', 'null'), 'host file covered by devfs');
    const data = path.join(t.top, 'data');
    fs.mkdirSync(data);
    fs.writeFileSync(path.join(data, 'x.txt'), 'x');
    const out = await run(['root'], { mounts: [{ host: t.box, guest: '/' }, { host: data, guest: '/data' }] });
    const r = results(out);
    expect(r['open /hello.txt']).toBe('read "hello"');
    expect(r['open /data/x.txt']).toBe('read "x"'); // another mount beside it: its own preopen
    expect(r['write /out.txt']).toBe('ok');
    expect(fs.readFileSync(path.join(t.box, 'out.txt'), 'utf8')).toBe('written');
    expect(r['open /dev/null']).toBe('ok');
    expect(r['write /dev/null']).toBe('ok');
    expect(fs.readFileSync(path.join(t.box, 'dev', 'null'), 'utf8')).toBe('host file covered by devfs');
    expect(r['readdir /'].split(' ').sort()).toEqual(['.', '..', 'absdir', 'dev', 'etclink', 'hello.txt', 'out.txt', 'rel']);
    expect(r['readdir /dev']).toContain(' null');
    for (const what of ['open /../secret', 'open ../secret', 'open /absdir/secret', 'open /rel/secret', 'open /etclink/passwd', 'symlink /mine -> /outside']) {
      expect(r[what], what).toBe(NOT_CAPABLE);
    }
    expect(r['open /mine/secret']).toBe('No such file or directory');
    expect(r['mkdir /dev']).toBe('File exists');
    for (const what of ['rmdir /dev', 'rename /dev', 'rename onto /dev']) expect(r[what], what).toBe('Resource busy');
    t.expectOutsideUntouched(out);
  });
});

describe('O_APPEND on a host file', () => {
  it('is atomic: two CLI processes appending 5000 records each to one file keep all 10000', async () => {
    const t = tree();
    const append = path.join(PROGRAMS, 'append.wasm');
    const [a, b] = await Promise.all(['A', 'B'].map((tag) => cli('--dir', `${t.box}::/box`, append, '/box/log', tag, '5000')));
    expect([a.code, b.code, a.stderr, b.stderr]).toEqual([0, 0, '', '']);
    const lines = fs.readFileSync(path.join(t.box, 'log'), 'utf8').split('\n').filter(Boolean);
    expect(lines).toHaveLength(10000);
    for (const tag of ['A', 'B']) {
      const mine = lines.filter((l) => l.startsWith(`${tag} `)).map((l) => Number(l.slice(2)));
      expect(mine).toEqual(Array.from({ length: 5000 }, (_, i) => i)); // each once, in its writer's order
    }
    // Each writer's offset afterwards is the end of its own last record.
    const size = fs.statSync(path.join(t.box, 'log')).size;
    const text = fs.readFileSync(path.join(t.box, 'log'), 'utf8');
    for (const [tag, r] of [['A', a], ['B', b]] as const) {
      const offset = Number(/offset (\d+)/.exec(r.stdout)?.[1]);
      expect(offset).toBeLessThanOrEqual(size);
      expect(text.slice(0, offset).endsWith(`${tag} 4999\n`)).toBe(true);
    }
  });
});
