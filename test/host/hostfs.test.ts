// Tests of the host directory mount (host/node/hostfs.ts, built into dist/) on real temporary
// directories: every Vnode operation, the host-error-to-errno mapping, read-only mounts, symlinks
// reported and never followed, held descriptors across retain/release, directory handles (renames and
// swaps under them, the bounded cache of walk handles, no descriptor leak), appends, names covered by
// another file system, and timestamps in ns.
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { HANDLE_CACHE, HandleCache, HostMount } from '../../dist/host/node/hostfs.js';
import * as ops from '../../dist/personality/vfs/ops.js';
import { OpenFile } from '../../dist/personality/vfs/file.js';
import { vfsConformance } from '../personality/vfs_conformance.js';
import {
  EACCES, EBUSY, EEXIST, EINVAL, EISDIR, ELOOP, ENAMETOOLONG, ENOENT, ENOTDIR, ENOTEMPTY, EROFS, ESTALE, EXDEV,
} from '../../dist/abi/errno.js';
import { FILETYPE } from '../../dist/abi/wasi.js';
import { BaseVnode, nowNs, VfsError, type Mount, type Stat, type Vnode } from '../../dist/personality/vfs/vnode.js';
import { PageCache } from '../../dist/personality/vm/page_cache.js';

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

// The behaviour every file system shares (test/personality/vfs_conformance.ts), on a host directory,
// without and with open files' data in a page cache (host/node/hostfs_cache.ts).
vfsConformance('HostMount', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'webmach-conformance-'));
  return { root: new HostMount(dir, false, 7n).root, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
});
vfsConformance('HostMount with a page cache', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'webmach-conformance-'));
  return { root: new HostMount(dir, false, 7n, undefined, PageCache.standalone(8)).root, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'webmach-hostfs-'));
  temps.push(dir);
  return dir;
}

/** A writable mount of a fresh temporary directory. */
function mounted(readOnly = false, dev = 7n) {
  const dir = tempDir();
  return { dir, mount: new HostMount(dir, readOnly, dev), at: (...names: string[]) => path.join(dir, ...names) };
}

function errnoOf(call: () => unknown): number | undefined {
  try {
    call();
  } catch (err) {
    if (err instanceof VfsError) return err.errno;
    throw err;
  }
  return undefined;
}

const bytes = (s: string) => new TextEncoder().encode(s);
function readAll(node: Vnode, offset = 0, size = 64): string {
  const buf = new Uint8Array(size);
  return new TextDecoder().decode(buf.subarray(0, node.read(offset, buf)));
}
const hostStat = (p: string) => fs.lstatSync(p, { bigint: true });
const openFds = () => fs.readdirSync('/proc/self/fd').length;
const hasProcFd = fs.existsSync('/proc/self/fd');
const isRoot = process.getuid?.() === 0;

/** A vnode of some other file system, for the EXDEV checks. */
class Foreign extends BaseVnode {
  readonly filetype = FILETYPE.directory;
  readonly mount: Mount = { dev: 99n, readOnly: false };
  stat(): Stat {
    return { dev: 99n, ino: 1n, filetype: this.filetype, nlink: 1n, size: 0n, atim: 0n, mtim: 0n, ctim: 0n };
  }
  setTimes(): void {}
}

describe('HostMount', () => {
  it('mounts an existing directory and refuses anything else', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'file'), '');
    expect(() => new HostMount(path.join(dir, 'missing'), false, 1n)).toThrow(/does not exist/);
    expect(() => new HostMount(path.join(dir, 'file'), false, 1n)).toThrow(/is not a directory/);
    const mount = new HostMount(dir, true, 3n);
    expect(mount.readOnly).toBe(true);
    expect(mount.dev).toBe(3n);
    expect(mount.root.filetype).toBe(FILETYPE.directory);
    expect(mount.root.mount).toBe(mount);
  });

  it('mounts the directory a symlink given on the command line points to', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'real'));
    fs.writeFileSync(path.join(dir, 'real', 'f'), 'x');
    fs.symlinkSync('real', path.join(dir, 'link'));
    const mount = new HostMount(path.join(dir, 'link'), false, 1n);
    expect(mount.root.lookup('f').filetype).toBe(FILETYPE.regularFile);
  });
});

describe('stat', () => {
  it('reports the mount dev, the host inode, type, links, size and ns times', () => {
    const { mount, at } = mounted(false, 42n);
    fs.writeFileSync(at('f'), 'hello');
    const st = mount.root.lookup('f').stat();
    const host = hostStat(at('f'));
    expect(st).toEqual({
      dev: 42n, ino: host.ino, filetype: FILETYPE.regularFile, nlink: 1n, size: 5n,
      atim: host.atimeNs, mtim: host.mtimeNs, ctim: host.ctimeNs,
    });
    expect(mount.root.stat().ino).toBe(hostStat(at()).ino);
    expect(mount.root.stat().filetype).toBe(FILETYPE.directory);
  });

  it('reports a FIFO as unknown and a socket as socket_stream', async () => {
    const { mount, at } = mounted();
    if (spawnSync('mkfifo', [at('fifo')]).status === 0) {
      expect(mount.root.lookup('fifo').stat().filetype).toBe(FILETYPE.unknown);
      expect(mount.root.lookup('fifo').filetype).toBe(FILETYPE.unknown);
      expect(errnoOf(() => mount.root.lookup('fifo').read(0, new Uint8Array(1)))).toBe(EINVAL);
    }
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(at('sock'), resolve));
    try {
      expect(mount.root.lookup('sock').stat().filetype).toBe(FILETYPE.socketStream);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it.skipIf(!fs.existsSync('/dev/null'))('reports a character device', () => {
    const dev = new HostMount('/dev', true, 1n);
    expect(dev.root.lookup('null').filetype).toBe(FILETYPE.characterDevice);
    expect(dev.root.lookup('null').stat().filetype).toBe(FILETYPE.characterDevice);
  });
});

describe('lookup', () => {
  it('finds files, directories and symlinks by their own type', () => {
    const { mount, at } = mounted();
    fs.writeFileSync(at('f'), '');
    fs.mkdirSync(at('d'));
    fs.symlinkSync('f', at('l'));
    expect(mount.root.lookup('f').filetype).toBe(FILETYPE.regularFile);
    expect(mount.root.lookup('d').filetype).toBe(FILETYPE.directory);
    expect(mount.root.lookup('l').filetype).toBe(FILETYPE.symbolicLink);
  });

  it('gives ENOENT for a missing name, ENOTDIR in a file, ENAMETOOLONG for a huge name', () => {
    const { mount, at } = mounted();
    fs.writeFileSync(at('f'), '');
    expect(errnoOf(() => mount.root.lookup('missing'))).toBe(ENOENT);
    expect(errnoOf(() => mount.root.lookup('f').lookup('x'))).toBe(ENOTDIR);
    expect(errnoOf(() => mount.root.lookup('n'.repeat(300)))).toBe(ENAMETOOLONG);
  });

  it('refuses names that are not one component (EINVAL) before they reach the host', () => {
    const { dir, mount } = mounted();
    fs.mkdirSync(path.join(dir, 'd'));
    const d = mount.root.lookup('d');
    // '..' of d and 'd/..' would both be real host paths; '' would be d itself.
    for (const name of ['', '.', '..', 'd/..', '../d', 'a\0b']) {
      expect(errnoOf(() => d.lookup(name))).toBe(EINVAL);
      expect(errnoOf(() => d.create(name, false))).toBe(EINVAL);
      expect(errnoOf(() => d.mkdir(name))).toBe(EINVAL);
      expect(errnoOf(() => d.rename(name, d, 'x'))).toBe(EINVAL);
    }
  });
});

describe('symlinks', () => {
  it('reports a symlink as one, with the link itself stat-ed, and does not follow it', () => {
    const outside = tempDir();
    fs.writeFileSync(path.join(outside, 'secret'), 'secret!');
    fs.mkdirSync(path.join(outside, 'sub'));
    const { mount, at } = mounted();
    fs.symlinkSync(path.join(outside, 'secret'), at('tofile'));
    fs.symlinkSync(path.join(outside, 'sub'), at('todir'));
    const link = mount.root.lookup('tofile');
    expect(link.filetype).toBe(FILETYPE.symbolicLink);
    expect(link.stat()).toMatchObject({ filetype: FILETYPE.symbolicLink, ino: hostStat(at('tofile')).ino });
    expect(link.stat().size).toBe(BigInt(path.join(outside, 'secret').length));
    expect(link.readlink()).toBe(path.join(outside, 'secret'));
    expect(errnoOf(() => link.read(0, new Uint8Array(8)))).toBe(EINVAL);
    expect(errnoOf(() => link.write(0, bytes('x')))).toBe(EINVAL);
    expect(errnoOf(() => mount.root.lookup('todir').lookup('x'))).toBe(ENOTDIR);
    expect(errnoOf(() => mount.root.lookup('todir').entries())).toBe(ENOTDIR);
    expect(fs.readFileSync(path.join(outside, 'secret'), 'utf8')).toBe('secret!');
  });

  it('stores the target verbatim, dangling or absolute', () => {
    const { mount, at } = mounted();
    for (const [name, target] of [['a', '../../outside'], ['b', 'nowhere'], ['c', '/etc/passwd'], ['d', 'x//y/']]) {
      mount.root.symlink(name, target);
      expect(fs.readlinkSync(at(name))).toBe(target);
      expect(mount.root.lookup(name).readlink()).toBe(target);
    }
    expect(errnoOf(() => mount.root.symlink('a', 'again'))).toBe(EEXIST);
  });

  it('never opens through a symlink that replaced a file after lookup (ELOOP)', () => {
    const outside = tempDir();
    fs.writeFileSync(path.join(outside, 'secret'), 'secret!');
    const { mount, at } = mounted();
    fs.writeFileSync(at('f'), 'mine');
    const f = mount.root.lookup('f');
    fs.rmSync(at('f'));
    fs.symlinkSync(path.join(outside, 'secret'), at('f'));
    expect(errnoOf(() => readAll(f))).toBe(ELOOP);
    expect(errnoOf(() => f.write(0, bytes('overwritten')))).toBe(ELOOP);
    expect(errnoOf(() => f.setSize(0))).toBe(ELOOP);
    expect(fs.readFileSync(path.join(outside, 'secret'), 'utf8')).toBe('secret!');
  });

  it('does not create through a dangling symlink', () => {
    const outside = tempDir();
    const { mount, at } = mounted();
    fs.symlinkSync(path.join(outside, 'created'), at('dangling'));
    expect(errnoOf(() => mount.root.create('dangling', true))).toBe(EEXIST);
    expect(mount.root.create('dangling', false).filetype).toBe(FILETYPE.symbolicLink);
    expect(fs.existsSync(path.join(outside, 'created'))).toBe(false);
  });

  it('sets the times of the link itself, not of its target', () => {
    const { mount, at } = mounted();
    fs.writeFileSync(at('target'), '');
    fs.symlinkSync('target', at('link'));
    const before = hostStat(at('target')).mtimeNs;
    mount.root.lookup('link').setTimes(1_000_000_000_000_000n, 2_000_000_000_000_000n);
    expect(hostStat(at('link')).mtimeNs).toBe(2_000_000_000_000_000n);
    expect(hostStat(at('target')).mtimeNs).toBe(before);
  });
});

describe('files', () => {
  it('creates, returns the existing file, and EEXIST when exclusive', () => {
    const { mount, at } = mounted();
    const f = mount.root.create('f', true);
    expect(f.filetype).toBe(FILETYPE.regularFile);
    expect(fs.statSync(at('f')).isFile()).toBe(true);
    f.write(0, bytes('kept'));
    expect(readAll(mount.root.create('f', false))).toBe('kept');
    expect(errnoOf(() => mount.root.create('f', true))).toBe(EEXIST);
    fs.mkdirSync(at('d'));
    expect(mount.root.create('d', false).filetype).toBe(FILETYPE.directory);
  });

  it('reads and writes at offsets, with no caching between vnodes or against the host', () => {
    const { mount, at } = mounted();
    const a = mount.root.create('f', false);
    const b = mount.root.lookup('f');
    expect(a.write(0, bytes('hello world'))).toBe(11);
    expect(readAll(b)).toBe('hello world');
    expect(b.write(6, bytes('there'))).toBe(5);
    expect(readAll(a, 6)).toBe('there');
    expect(fs.readFileSync(at('f'), 'utf8')).toBe('hello there');
    fs.writeFileSync(at('f'), 'from the host');
    expect(readAll(a)).toBe('from the host');
    expect(a.read(1000, new Uint8Array(4))).toBe(0);
    expect(a.read(0, new Uint8Array(0))).toBe(0);
  });

  it('grows a file sparsely by writing past its end, even at 100 MiB', () => {
    const { mount, at } = mounted();
    const f = mount.root.create('big', false);
    const offset = 100 * 1024 * 1024;
    expect(f.write(offset, bytes('end'))).toBe(3);
    expect(f.stat().size).toBe(BigInt(offset + 3));
    expect(fs.statSync(at('big')).size).toBe(offset + 3);
    expect(readAll(f, offset)).toBe('end');
    const hole = new Uint8Array(16).fill(1);
    expect(f.read(offset - 16, hole)).toBe(16);
    expect([...hole]).toEqual(new Array(16).fill(0));
  });

  it('sets the size both ways, and syncs', () => {
    const { mount } = mounted();
    const f = mount.root.create('f', false);
    f.write(0, bytes('0123456789'));
    f.setSize(4);
    expect(readAll(f)).toBe('0123');
    f.setSize(8);
    expect(f.stat().size).toBe(8n);
    expect(readAll(f)).toBe('0123\0\0\0\0');
    f.sync();
    f.retain();
    f.sync();
    f.setSize(2);
    f.release();
    expect(readAll(f)).toBe('01');
  });

  it('gives the kind-of-object errors of BaseVnode', () => {
    const { mount } = mounted();
    const f = mount.root.create('f', false);
    expect(errnoOf(() => mount.root.read(0, new Uint8Array(1)))).toBe(EISDIR);
    expect(errnoOf(() => mount.root.write(0, bytes('x')))).toBe(EISDIR);
    expect(errnoOf(() => f.mkdir('x'))).toBe(ENOTDIR);
    expect(errnoOf(() => f.readlink())).toBe(EINVAL);
    expect(f.readiness()).toMatchObject({ readable: true, writable: true });
  });

  it('gives ENOENT when the file went away and nothing holds it', () => {
    const { mount, at } = mounted();
    const f = mount.root.create('f', false);
    fs.rmSync(at('f'));
    expect(errnoOf(() => readAll(f))).toBe(ENOENT);
    expect(errnoOf(() => f.stat())).toBe(ENOENT);
    expect(errnoOf(() => f.setTimes('now', 'now'))).toBe(ENOENT);
  });
});

describe('retain and release', () => {
  it('keep one host descriptor open from the first retain to the last release', () => {
    const { mount, at } = mounted();
    fs.writeFileSync(at('f'), 'held');
    const f = mount.root.lookup('f');
    const fds = hasProcFd ? openFds() : 0;
    f.retain();
    f.retain();
    if (hasProcFd) expect(openFds()).toBe(fds + 1);
    // The descriptor follows the file, not the path: it still reads after a rename.
    mount.root.rename('f', mount.root, 'g');
    expect(readAll(f)).toBe('held');
    f.release();
    expect(readAll(f)).toBe('held');
    expect(f.write(4, bytes('!'))).toBe(1);
    expect(f.stat().size).toBe(5n);
    f.release();
    if (hasProcFd) expect(openFds()).toBe(fds);
    // Now each call opens the (gone) path.
    expect(errnoOf(() => readAll(f))).toBe(ENOENT);
    expect(fs.readFileSync(at('g'), 'utf8')).toBe('held!');
    f.release(); // one too many: ignored
  });

  it('keeps an unlinked file readable while held, as POSIX open files are', () => {
    const { mount } = mounted();
    const f = mount.root.create('f', false);
    f.write(0, bytes('still here'));
    f.retain();
    mount.root.unlink('f');
    expect(readAll(f)).toBe('still here');
    expect(f.stat().nlink).toBe(0n);
    f.setTimes(5_000_000_000n, 6_000_000_000n);
    expect(f.stat().mtim).toBe(6_000_000_000n);
    f.release();
    expect(errnoOf(() => f.stat())).toBe(ENOENT);
  });

  it('opens no descriptor for symlinks; the root holds its one for the life of the mount', () => {
    const { mount, at } = mounted();
    fs.symlinkSync('x', at('l'));
    const fds = openFds();
    mount.root.retain();
    mount.root.lookup('l').retain();
    mount.root.release();
    mount.root.release();
    expect(openFds()).toBe(fds);
    expect(mount.root.lookup('l').readlink()).toBe('x');
  });

  it.skipIf(isRoot)('reports EACCES, not EBADF, writing a held file the host lets us only read', () => {
    const { mount, at } = mounted();
    fs.writeFileSync(at('ro'), 'ro');
    fs.chmodSync(at('ro'), 0o444);
    const f = mount.root.lookup('ro');
    f.retain();
    expect(readAll(f)).toBe('ro');
    expect(errnoOf(() => f.write(0, bytes('x')))).toBe(EACCES);
    f.release();
  });
});

describe('directories', () => {
  it('makes and removes directories, with ENOTEMPTY, ENOTDIR and EEXIST', () => {
    const { mount, at } = mounted();
    mount.root.mkdir('d');
    expect(fs.statSync(at('d')).isDirectory()).toBe(true);
    expect(errnoOf(() => mount.root.mkdir('d'))).toBe(EEXIST);
    mount.root.lookup('d').create('f', false);
    expect(errnoOf(() => mount.root.rmdir('d'))).toBe(ENOTEMPTY);
    expect(errnoOf(() => mount.root.lookup('d').rmdir('f'))).toBe(ENOTDIR);
    mount.root.lookup('d').unlink('f');
    mount.root.rmdir('d');
    expect(fs.existsSync(at('d'))).toBe(false);
    expect(errnoOf(() => mount.root.rmdir('d'))).toBe(ENOENT);
  });

  it('unlinks files and symlinks (not their targets), with EISDIR and ENOENT', () => {
    const { mount, at } = mounted();
    fs.writeFileSync(at('f'), '');
    fs.symlinkSync('f', at('l'));
    fs.mkdirSync(at('d'));
    mount.root.unlink('l');
    expect(fs.existsSync(at('f'))).toBe(true);
    mount.root.unlink('f');
    expect(fs.existsSync(at('f'))).toBe(false);
    expect(errnoOf(() => mount.root.unlink('f'))).toBe(ENOENT);
    expect(errnoOf(() => mount.root.unlink('d'))).toBe(EISDIR);
  });

  it('hard-links within the mount, EXDEV across mounts or file systems', () => {
    const { mount, at } = mounted();
    const other = mounted();
    const f = mount.root.create('f', false);
    f.write(0, bytes('shared'));
    mount.root.mkdir('d');
    mount.root.lookup('d').link('g', f);
    expect(f.stat().nlink).toBe(2n);
    expect(fs.readFileSync(at('d', 'g'), 'utf8')).toBe('shared');
    expect(mount.root.lookup('d').lookup('g').stat().ino).toBe(f.stat().ino);
    expect(errnoOf(() => mount.root.link('f', f))).toBe(EEXIST);
    expect(errnoOf(() => other.mount.root.link('h', f))).toBe(EXDEV);
    expect(errnoOf(() => mount.root.link('h', new Foreign()))).toBe(EXDEV);
    // The same host directory mounted twice is still two mounts.
    const again = new HostMount(mount.hostPath, false, 8n);
    expect(errnoOf(() => again.root.link('h', f))).toBe(EXDEV);
  });

  it('renames within and across directories, replacing a file, with EXDEV, ENOTDIR, ENOENT, ENOTEMPTY', () => {
    const { mount, at } = mounted();
    const other = mounted();
    fs.writeFileSync(at('a'), 'A');
    fs.writeFileSync(at('b'), 'B');
    fs.mkdirSync(at('d'));
    const d = mount.root.lookup('d');
    mount.root.rename('a', mount.root, 'a2');
    expect(fs.readFileSync(at('a2'), 'utf8')).toBe('A');
    mount.root.rename('a2', d, 'a3');
    expect(fs.readFileSync(at('d', 'a3'), 'utf8')).toBe('A');
    d.rename('a3', mount.root, 'b');
    expect(fs.readFileSync(at('b'), 'utf8')).toBe('A');
    expect(fs.readdirSync(at()).sort()).toEqual(['b', 'd']);
    expect(errnoOf(() => mount.root.rename('b', other.mount.root, 'b'))).toBe(EXDEV);
    expect(errnoOf(() => mount.root.rename('b', new Foreign(), 'b'))).toBe(EXDEV);
    expect(errnoOf(() => mount.root.rename('b', mount.root.lookup('b'), 'x'))).toBe(ENOTDIR);
    expect(errnoOf(() => mount.root.rename('missing', mount.root, 'x'))).toBe(ENOENT);
    fs.mkdirSync(at('e'));
    fs.writeFileSync(at('d', 'full'), '');
    expect(errnoOf(() => mount.root.rename('e', mount.root, 'd'))).toBe(ENOTEMPTY);
    expect(errnoOf(() => mount.root.rename('b', mount.root, 'e'))).toBe(EISDIR);
  });

  it('lists . and .. first with their inodes, then every entry with type and inode', () => {
    const { mount, at } = mounted();
    fs.writeFileSync(at('f'), '');
    fs.mkdirSync(at('d'));
    fs.symlinkSync('f', at('l'));
    const entries = mount.root.entries();
    const rootIno = hostStat(at()).ino;
    expect(entries.slice(0, 2)).toEqual([
      { name: '.', ino: rootIno, filetype: FILETYPE.directory },
      { name: '..', ino: rootIno, filetype: FILETYPE.directory },
    ]);
    expect(entries.slice(2).sort((x, y) => x.name.localeCompare(y.name))).toEqual([
      { name: 'd', ino: hostStat(at('d')).ino, filetype: FILETYPE.directory },
      { name: 'f', ino: hostStat(at('f')).ino, filetype: FILETYPE.regularFile },
      { name: 'l', ino: hostStat(at('l')).ino, filetype: FILETYPE.symbolicLink },
    ]);
    expect(mount.root.lookup('d').entries()).toEqual([
      { name: '.', ino: hostStat(at('d')).ino, filetype: FILETYPE.directory },
      { name: '..', ino: rootIno, filetype: FILETYPE.directory },
    ]);
  });
});

describe('timestamps', () => {
  it('sets both times to the nanosecond given, kept to microseconds', () => {
    const { mount, at } = mounted();
    const f = mount.root.create('f', false);
    const atim = 1_700_000_000_123_456_789n;
    const mtim = 1_600_000_000_999_999_999n;
    f.setTimes(atim, mtim);
    expect(f.stat()).toMatchObject({ atim: 1_700_000_000_123_456_000n, mtim: 1_600_000_000_999_999_000n });
    expect(hostStat(at('f')).mtimeNs).toBe(1_600_000_000_999_999_000n);
  });

  it('keeps exact microseconds over many values (no double-rounding slip)', () => {
    const { mount } = mounted();
    const f = mount.root.create('f', false);
    for (let i = 0n; i < 200n; i++) {
      const us = 1_750_000_000_000_000n + i * 1_234_567n;
      f.setTimes(us * 1000n, us * 1000n + 999n);
      expect(f.stat().atim).toBe(us * 1000n);
      expect(f.stat().mtim).toBe(us * 1000n);
    }
  });

  it('leaves an undefined time unchanged and sets now', () => {
    const { mount } = mounted();
    const f = mount.root.create('f', false);
    f.setTimes(1_000_000_000_000_001_000n, 2_000_000_000_000_002_000n);
    f.setTimes(undefined, 3_000_000_000_000_000_000n);
    expect(f.stat()).toMatchObject({ atim: 1_000_000_000_000_001_000n, mtim: 3_000_000_000_000_000_000n });
    f.setTimes(4_000_000_000n, undefined);
    expect(f.stat()).toMatchObject({ atim: 4_000_000_000n, mtim: 3_000_000_000_000_000_000n });
    const before = nowNs();
    f.setTimes('now', undefined);
    const after = nowNs();
    expect(f.stat().atim >= before - 1000n && f.stat().atim <= after).toBe(true);
    expect(f.stat().mtim).toBe(3_000_000_000_000_000_000n);
    f.setTimes(undefined, undefined);
    expect(f.stat().mtim).toBe(3_000_000_000_000_000_000n);
  });

  it('sets a time before the epoch (to the millisecond)', () => {
    const { mount } = mounted();
    const d = mount.root;
    d.setTimes(-86_400_123_000_000n, -1_000_000_000n);
    expect(d.stat()).toMatchObject({ atim: -86_400_123_000_000n, mtim: -1_000_000_000n });
  });
});

describe('a read-only mount', () => {
  it('reads, and refuses every mutating call with EROFS, leaving the host untouched', () => {
    const { dir, mount: rw } = mounted();
    fs.writeFileSync(path.join(dir, 'f'), 'data');
    fs.mkdirSync(path.join(dir, 'd'));
    const mount = new HostMount(dir, true, 9n);
    const f = mount.root.lookup('f');
    const root = mount.root;
    const snapshot = () => fs.readdirSync(dir).sort().join() + fs.readFileSync(path.join(dir, 'f'), 'utf8');
    const before = snapshot();
    const mtime = hostStat(path.join(dir, 'f')).mtimeNs;
    expect(readAll(f)).toBe('data');
    f.retain();
    expect(readAll(f)).toBe('data');
    const mutations: Record<string, () => unknown> = {
      write: () => f.write(0, bytes('x')),
      append: () => f.append(bytes('x')),
      setSize: () => f.setSize(0),
      setTimes: () => f.setTimes('now', 'now'),
      dirSetTimes: () => root.setTimes(undefined, 0n),
      create: () => root.create('new', false),
      createExisting: () => root.create('f', false),
      createExclusive: () => root.create('new', true),
      mkdir: () => root.mkdir('new'),
      symlink: () => root.symlink('new', 'f'),
      link: () => root.link('new', f),
      unlink: () => root.unlink('f'),
      rmdir: () => root.rmdir('d'),
      rename: () => root.rename('f', root, 'g'),
    };
    for (const [name, call] of Object.entries(mutations)) expect([name, errnoOf(call)]).toEqual([name, EROFS]);
    f.release();
    expect(snapshot()).toBe(before);
    expect(hostStat(path.join(dir, 'f')).mtimeNs).toBe(mtime);
    expect(root.entries().map((e) => e.name).sort()).toEqual(['.', '..', 'd', 'f']);
    expect(rw.root.lookup('f').stat().dev).toBe(7n);
    expect(f.stat().dev).toBe(9n);
  });
});

describe('directory handles', () => {
  it('a directory vnode keeps naming its directory after a rename, a symlink swapped in, a move out and removal', () => {
    const { mount, at, dir } = mounted();
    const outside = tempDir();
    fs.writeFileSync(path.join(outside, 'secret'), 'secret!');
    fs.mkdirSync(at('d'));
    fs.writeFileSync(at('d', 'inner'), 'inner');
    const d = mount.root.lookup('d');
    d.retain();
    fs.renameSync(at('d'), at('moved'));
    fs.symlinkSync(outside, at('d'));
    expect(errnoOf(() => d.lookup('secret'))).toBe(ENOENT);
    expect(readAll(d.lookup('inner'))).toBe('inner');
    expect(d.entries().map((e) => e.name).sort()).toEqual(['.', '..', 'inner']);
    d.create('new', true);
    d.mkdir('sub');
    expect(fs.readdirSync(at('moved')).sort()).toEqual(['inner', 'new', 'sub']);
    expect(fs.readdirSync(outside)).toEqual(['secret']);
    // Moved out of the mount by the host, it still works as a handle (as under wasmtime).
    fs.renameSync(at('moved'), path.join(outside, 'moved'));
    expect(readAll(d.lookup('inner'))).toBe('inner');
    // Removed by the host: empty, and nothing can be made in it.
    fs.rmSync(path.join(outside, 'moved'), { recursive: true });
    expect(d.entries().map((e) => e.name)).toEqual(['.', '..']);
    expect(errnoOf(() => d.create('again', true))).toBe(ENOENT);
    expect(errnoOf(() => d.mkdir('again'))).toBe(ENOENT);
    d.release();
    expect(fs.readdirSync(dir).sort()).toEqual(['d']);
  });

  it('re-opens an evicted walk handle through its parent, ESTALE if another directory is there now', () => {
    const dir = tempDir();
    const mount = new HostMount(dir, false, 7n, new HandleCache(2));
    for (const name of ['a', 'b', 'c', 'd']) fs.mkdirSync(path.join(dir, name));
    fs.writeFileSync(path.join(dir, 'a', 'f'), 'in a');
    const fds = openFds();
    const a = mount.root.lookup('a');
    for (const name of ['b', 'c', 'd']) mount.root.lookup(name);
    expect(openFds()).toBe(fds + 2); // the cache's two: a was evicted
    expect(readAll(a.lookup('f'))).toBe('in a'); // re-opened by name, the same directory
    fs.renameSync(path.join(dir, 'a'), path.join(dir, 'a_old'));
    fs.mkdirSync(path.join(dir, 'a'));
    for (const name of ['b', 'c']) mount.root.lookup(name); // evicts a again
    expect(errnoOf(() => a.lookup('f'))).toBe(ESTALE);
    expect(errnoOf(() => a.stat())).toBe(ESTALE);
    fs.rmdirSync(path.join(dir, 'a'));
    fs.symlinkSync('a_old', path.join(dir, 'a'));
    expect(errnoOf(() => a.lookup('f'))).toBe(ENOTDIR); // a symlink in its place is never followed
  });

  it('keeps the host descriptor count bounded over thousands of walks, opens and closes', () => {
    const { mount, at } = mounted();
    const paths: string[] = [];
    for (let i = 0; i < 10; i++) {
      for (let j = 0; j < 10; j++) {
        fs.mkdirSync(at(`d${i}`, `e${j}`, 'f'), { recursive: true });
        fs.writeFileSync(at(`d${i}`, `e${j}`, 'f', 'file'), `${i}${j}`);
        paths.push(`d${i}/e${j}/f`, `d${i}/e${j}/f/file`, `d${i}/e${j}/../e${(j + 1) % 10}/f/file`);
      }
    }
    const fds = openFds();
    let most = fds;
    const open: OpenFile[] = [];
    for (let n = 0; n < 6000; n++) {
      const p = paths[(n * 7919) % paths.length];
      const node = ops.openPath(mount.root, p, { follow: true, creat: false, excl: false, trunc: false, directory: false, write: false });
      open.push(new OpenFile(node, 0));
      if (open.length > 20) open.shift()!.drop(); // twenty open at a time, the oldest closed
      if (n % 100 === 0) most = Math.max(most, openFds());
    }
    for (const f of open) f.drop();
    // Twenty pinned (a directory or a file each) plus the walk cache; all but the cache closed at the end.
    expect(most).toBeLessThanOrEqual(fds + 20 + HANDLE_CACHE);
    expect(openFds()).toBeLessThanOrEqual(fds + HANDLE_CACHE);
  });
});

describe('many mounts', () => {
  it('share one cache of walk handles: each holds only its root open', () => {
    const fds = openFds();
    const mounts = 20;
    for (let m = 0; m < mounts; m++) {
      const { mount, at } = mounted();
      for (let i = 0; i < 30; i++) fs.mkdirSync(at(`d${i}`));
      for (let i = 0; i < 30; i++) ops.statPath(mount.root, `d${i}`, false);
    }
    expect(openFds()).toBeLessThanOrEqual(fds + mounts + HANDLE_CACHE);
  });
});

describe('appends', () => {
  it('write at the end through O_APPEND and report where they ended, held or not', () => {
    const { mount, at } = mounted();
    const f = mount.root.create('log', false);
    expect(f.append(bytes('one\n'))).toEqual({ written: 4, end: 4 });
    f.retain();
    fs.appendFileSync(at('log'), 'host\n'); // another writer, between ours
    expect(f.append(bytes('two\n'))).toEqual({ written: 4, end: 13 });
    f.release();
    expect(fs.readFileSync(at('log'), 'utf8')).toBe('one\nhost\ntwo\n');
    // Held, it appends to the file it was opened on, whatever is at its name now.
    f.retain();
    fs.renameSync(at('log'), at('old'));
    fs.writeFileSync(at('log'), 'new');
    expect(f.append(bytes('three\n'))).toEqual({ written: 6, end: 19 });
    f.release();
    expect(fs.readFileSync(at('old'), 'utf8')).toBe('one\nhost\ntwo\nthree\n');
    expect(fs.readFileSync(at('log'), 'utf8')).toBe('new');
  });
});

describe('a name covered by another file system', () => {
  it('is looked up and listed as the covering root; removing or renaming it is EBUSY, making it EEXIST', () => {
    const { mount, at } = mounted();
    fs.mkdirSync(at('dev'));
    fs.writeFileSync(at('f'), '');
    const cover = new Foreign();
    mount.root.mountOn('dev', cover);
    expect(mount.root.lookup('dev')).toBe(cover);
    expect(mount.root.entries().filter((e) => e.name === 'dev')).toEqual([{ name: 'dev', ino: 1n, filetype: FILETYPE.directory }]);
    expect(errnoOf(() => mount.root.mountOn('dev', cover))).toBe(EBUSY);
    for (const call of [() => mount.root.rmdir('dev'), () => mount.root.unlink('dev'), () => mount.root.rename('dev', mount.root, 'x'), () => mount.root.rename('f', mount.root, 'dev')]) {
      expect(errnoOf(call)).toBe(EBUSY);
    }
    for (const call of [() => mount.root.mkdir('dev'), () => mount.root.symlink('dev', 'x'), () => mount.root.create('dev', true)]) {
      expect(errnoOf(call)).toBe(EEXIST);
    }
    expect(mount.root.create('dev', false)).toBe(cover);
    expect(fs.readdirSync(at('dev'))).toEqual([]);
  });
});
