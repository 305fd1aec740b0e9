// Tests of the VFS core against the built output in dist/personality/vfs/: the shared conformance suite
// on tmpfs, then what is tmpfs's own (sparse pages, size limits, inode numbers, link counts, mounts),
// devfs, path lookup (every way out of the starting directory, symlink rules, name limits) and the path
// operations' Linux errors ('.', '..', trailing slashes, open flags).
import { describe, expect, it } from 'vitest';
import { FILETYPE } from '../../dist/abi/wasi.js';
import { DevFs } from '../../dist/personality/vfs/devfs.js';
import { Console, consoleNodes } from '../../dist/personality/vfs/console.js';
import { Ring } from '../../dist/abi/ring.js';
import { namei, nameiParent, SYMLOOP_MAX } from '../../dist/personality/vfs/namei.js';
import * as ops from '../../dist/personality/vfs/ops.js';
import { MAX_FILE_SIZE, PAGE_SIZE, TmpFs } from '../../dist/personality/vfs/tmpfs.js';
import { nowNs, type Vnode } from '../../dist/personality/vfs/vnode.js';
import { errnoOf, makeFile, names, readBytes, readText, vfsConformance, writeText } from './vfs_conformance.js';

vfsConformance('TmpFs', () => ({ root: new TmpFs(1n).root }));

const OLD = 1_000_000_000_000_000_000n;
const MiB = 1 << 20;
const OPEN = { follow: true, creat: false, excl: false, trunc: false, directory: false, write: false };
const isZero = (bytes: Uint8Array) => bytes.every((b) => b === 0);

/** A tmpfs root holding dir/, dir/sub/, file ('data'), and symlinks ldir -> dir, lfile -> file, dang -> nowhere. */
function tree(): { fs: TmpFs; root: Vnode } {
  const fs = new TmpFs(7n);
  const root = fs.root;
  ops.mkdirPath(root, 'dir');
  ops.mkdirPath(root, 'dir/sub');
  makeFile(root, 'file', 'data');
  ops.symlinkPath('dir', root, 'ldir');
  ops.symlinkPath('file', root, 'lfile');
  ops.symlinkPath('nowhere', root, 'dang');
  return { fs, root };
}

describe('tmpfs', () => {
  it('a write at a 100 MiB offset makes a sparse file: right size, zeros in the hole, one page stored', () => {
    const fs = new TmpFs(1n);
    const file = fs.root.create('sparse', true);
    writeText(file, 100 * MiB, 'end');
    expect(file.stat().size).toBe(BigInt(100 * MiB + 3));
    expect(fs.bytesUsed).toBeLessThanOrEqual(PAGE_SIZE);
    expect(isZero(readBytes(file, 0, MiB))).toBe(true);
    expect(isZero(readBytes(file, 100 * MiB - MiB, MiB))).toBe(true);
    expect(readText(file, 100 * MiB - 1, 10)).toBe('\0end');
  });

  it('holes inside and across pages read as zeros around the stored bytes', () => {
    const file = new TmpFs(1n).root.create('f', true);
    writeText(file, 10, 'a');
    writeText(file, 3 * PAGE_SIZE - 1, 'bc'); // straddles a page boundary
    const all = readBytes(file, 0, 3 * PAGE_SIZE + 1);
    expect([all.length, all[10], all[3 * PAGE_SIZE - 1], all[3 * PAGE_SIZE]]).toEqual([3 * PAGE_SIZE + 1, 97, 98, 99]);
    expect(all.filter((b) => b !== 0).length).toBe(3);
  });

  it('truncating down frees pages and zeros the tail; truncating up makes a hole', () => {
    const fs = new TmpFs(1n);
    const file = fs.root.create('f', true);
    file.write(0, new Uint8Array(3 * PAGE_SIZE).fill(7));
    expect(fs.bytesUsed).toBe(3 * PAGE_SIZE);
    file.setSize(PAGE_SIZE + 5);
    expect(fs.bytesUsed).toBe(2 * PAGE_SIZE); // the page holding the new end is kept whole
    file.setSize(10 * PAGE_SIZE);
    expect(fs.bytesUsed).toBe(2 * PAGE_SIZE);
    expect(isZero(readBytes(file, PAGE_SIZE + 5, 9 * PAGE_SIZE - 5))).toBe(true);
    file.setSize(0);
    expect(fs.bytesUsed).toBe(0);
  });

  it('sizes reach Number.MAX_SAFE_INTEGER; beyond is EFBIG, and a write crossing it is cut short', () => {
    const file = new TmpFs(1n).root.create('f', true);
    file.setSize(MAX_FILE_SIZE);
    expect(file.stat().size).toBe(BigInt(Number.MAX_SAFE_INTEGER));
    expect(writeText(file, MAX_FILE_SIZE - 2, 'abcd')).toBe(2);
    expect(readText(file, MAX_FILE_SIZE - 3)).toBe('\0ab');
    expect(errnoOf(() => writeText(file, MAX_FILE_SIZE, 'x'))).toBe('EFBIG');
    expect(errnoOf(() => file.setSize(MAX_FILE_SIZE + 1))).toBe('EFBIG');
    expect(errnoOf(() => file.setSize(-1))).toBe('EINVAL');
  });

  it('a byte limit gives short writes then ENOSPC; unlinking and truncating give the space back', () => {
    const fs = new TmpFs(1n, 2 * PAGE_SIZE + 4096); // two pages, and room for the metadata of two files
    const a = fs.root.create('a', true);
    expect(a.write(0, new Uint8Array(3 * PAGE_SIZE))).toBe(2 * PAGE_SIZE);
    expect(errnoOf(() => a.write(2 * PAGE_SIZE, new Uint8Array(PAGE_SIZE)))).toBe('ENOSPC');
    a.setSize(PAGE_SIZE);
    expect(fs.root.create('b', true).write(0, new Uint8Array(PAGE_SIZE))).toBe(PAGE_SIZE);
    a.retain();
    fs.root.unlink('a');
    expect(fs.bytesUsed).toBe(2 * PAGE_SIZE); // still open
    a.release();
    expect(fs.bytesUsed).toBe(PAGE_SIZE);
  });

  it('inode numbers are distinct per inode and shared by hard links; the root .. is the root', () => {
    const { root } = tree();
    const inos = ['dir', 'dir/sub', 'file', 'ldir', 'lfile', 'dang'].map((p) => ops.statPath(root, p, false).ino);
    expect(new Set([...inos, root.stat().ino]).size).toBe(7);
    ops.linkPath(root, 'file', false, root, 'dir/hard');
    expect(ops.statPath(root, 'dir/hard', false).ino).toBe(ops.statPath(root, 'file', false).ino);
    expect(root.entries().slice(0, 2).map((e) => e.ino)).toEqual([root.stat().ino, root.stat().ino]);
    expect(root.stat().dev).toBe(7n);
  });

  it('link counts: files by names, directories 2 + subdirectories, removed directories 0', () => {
    const { root } = tree();
    const dir = root.lookup('dir');
    expect(dir.stat().nlink).toBe(3n);
    dir.mkdir('sub2');
    expect(dir.stat().nlink).toBe(4n);
    dir.rename('sub2', root, 'moved');
    expect([dir.stat().nlink, root.stat().nlink]).toEqual([3n, 4n]);
    const sub = dir.lookup('sub');
    dir.rmdir('sub');
    expect([sub.stat().nlink, dir.stat().nlink]).toEqual([0n, 2n]);
    expect(errnoOf(() => sub.create('x', false))).toBe('ENOENT');
    expect(errnoOf(() => sub.mkdir('x'))).toBe('ENOENT');
  });

  it('entries keep the order names were added in; a replaced name keeps its place', () => {
    const root = new TmpFs(1n).root;
    for (const name of ['zeta', 'alpha', 'mid']) root.create(name, true);
    root.create('new', true);
    root.rename('new', root, 'alpha');
    expect(names(root)).toEqual(['.', '..', 'zeta', 'alpha', 'mid']);
  });

  it('times keep every nanosecond', () => {
    const file = new TmpFs(1n).root.create('f', true);
    file.setTimes(OLD + 123_456_789n, OLD + 987_654_321n);
    expect([file.stat().atim, file.stat().mtim]).toEqual([OLD + 123_456_789n, OLD + 987_654_321n]);
  });

  it('times: relatime, as Linux by default: a read re-stamps atim only if it is not newer than mtim and ctim', () => {
    const tick = () => {
      for (const t = nowNs(); nowNs() === t; ); // the clock has microseconds: let one pass
    };
    const file = new TmpFs(1n).root.create('f', true);
    writeText(file, 0, 'data');
    tick();
    readText(file);
    const first = file.stat().atim;
    expect(first > file.stat().mtim).toBe(true);
    tick();
    readText(file);
    expect(file.stat().atim).toBe(first);
    tick();
    writeText(file, 0, 'more');
    tick();
    readText(file);
    expect(file.stat().atim > first).toBe(true);
  });

  it('times: a read moves atim only; a write mtim and ctim together; a link ctim only', () => {
    const root = new TmpFs(1n).root;
    const file = root.create('f', true);
    file.setTimes(OLD, OLD);
    readText(file);
    expect([file.stat().atim > OLD, file.stat().mtim]).toEqual([true, OLD]);
    const ctim = file.stat().ctim;
    writeText(file, 0, 'x');
    const st = file.stat();
    expect([st.mtim > OLD, st.ctim === st.mtim, st.ctim >= ctim]).toEqual([true, true, true]);
    file.setTimes(OLD, OLD);
    const setAt = file.stat().ctim;
    root.link('g', file);
    expect([file.stat().mtim, file.stat().ctim >= setAt]).toEqual([OLD, true]);
  });

  it('renaming a directory onto its own ancestor gives ENOTEMPTY, as Linux', () => {
    const { root } = tree();
    const dir = root.lookup('dir');
    dir.lookup('sub').mkdir('deep');
    expect(errnoOf(() => dir.lookup('sub').rename('deep', root, 'dir'))).toBe('ENOTEMPTY');
  });

  it('a hard link to an unlinked file gives ENOENT', () => {
    const root = new TmpFs(1n).root;
    const file = root.create('f', true);
    root.unlink('f');
    expect(errnoOf(() => root.link('g', file))).toBe('ENOENT');
  });

  describe('mount points', () => {
    function mounted() {
      const { root } = tree();
      const other = new TmpFs(2n);
      makeFile(other.root, 'inside', 'other fs');
      ops.mountAt(root, 'mnt', other.root);
      return { root, other };
    }

    it('lookup gives the mounted root; .. leads back out; entries list the mount point', () => {
      const { root, other } = mounted();
      expect(readText(namei(root, 'mnt/inside', true))).toBe('other fs');
      expect(namei(root, 'mnt/../dir', true)).toBe(root.lookup('dir'));
      expect(ops.statPath(root, 'mnt', true).dev).toBe(2n);
      expect(names(root)).toContain('mnt');
      expect(root.lookup('mnt')).toBe(other.root);
    });

    it('rmdir and rename of a mount point, or onto one, give EBUSY; unlink EISDIR', () => {
      const { root } = mounted();
      expect(errnoOf(() => ops.rmdirPath(root, 'mnt'))).toBe('EBUSY');
      expect(errnoOf(() => ops.renamePath(root, 'mnt', root, 'x'))).toBe('EBUSY');
      expect(errnoOf(() => ops.renamePath(root, 'dir/sub', root, 'mnt'))).toBe('EBUSY');
      expect(errnoOf(() => ops.unlinkPath(root, 'mnt'))).toBe('EISDIR');
      expect(errnoOf(() => ops.mountAt(root, 'mnt', new TmpFs(3n).root))).toBe('EBUSY');
    });

    it('link and rename across file systems give EXDEV', () => {
      const { root } = mounted();
      expect(errnoOf(() => ops.linkPath(root, 'file', false, root, 'mnt/f'))).toBe('EXDEV');
      expect(errnoOf(() => ops.renamePath(root, 'file', root, 'mnt/f'))).toBe('EXDEV');
      expect(errnoOf(() => ops.renamePath(root, 'mnt/inside', root, 'f'))).toBe('EXDEV');
    });

    it('mountAt works on an existing directory, a new name, nested; ENOTDIR on a file, ENOTSUP outside tmpfs', () => {
      const { root } = tree();
      ops.mountAt(root, 'dir/sub', new TmpFs(2n).root);
      ops.mountAt(root, 'dir/new', new TmpFs(3n).root);
      expect([ops.statPath(root, 'dir/sub', true).dev, ops.statPath(root, 'dir/new', true).dev]).toEqual([2n, 3n]);
      expect(errnoOf(() => ops.mountAt(root, 'file', new TmpFs(4n).root))).toBe('ENOTDIR');
      ops.mountAt(root, 'dev', new DevFs(5n).root);
      expect(errnoOf(() => ops.mountAt(root, 'dev/x', new TmpFs(6n).root))).toBe('ENOTSUP');
    });
  });
});

describe('devfs', () => {
  const dev = () => new DevFs(9n);

  it('gives the console nodes the server adds inode numbers of their own', () => {
    const fs = dev();
    const ring = () => new Ring(new SharedArrayBuffer(4096), 0, 4096);
    const console = new Console({ write: () => {}, serving: () => false, caller: () => undefined }, 0, ring(), ring());
    for (const [name, node] of Object.entries(consoleNodes(fs, console))) fs.add(name, node);
    const inos = fs.root.entries().filter((e) => e.name !== '..').map((e) => e.ino);
    expect(inos).toHaveLength(8);
    expect(new Set(inos).size).toBe(inos.length);
  });

  it('null reads nothing and swallows writes; zero reads zeros; all are character devices', () => {
    const root = dev().root;
    const buffer = new Uint8Array(8).fill(1);
    expect([root.lookup('null').read(0, buffer), root.lookup('null').write(0, buffer)]).toEqual([0, 8]);
    expect([root.lookup('zero').read(5, buffer), isZero(buffer), root.lookup('zero').write(0, buffer)]).toEqual([8, true, 8]);
    for (const name of ['null', 'zero', 'urandom']) expect(root.lookup(name).stat().filetype).toBe(FILETYPE.characterDevice);
  });

  it('urandom fills buffers larger than one getRandomValues call', () => {
    const buffer = new Uint8Array(3 * 65536 + 100);
    expect(dev().root.lookup('urandom').read(0, buffer)).toBe(buffer.length);
    for (let i = 0; i < buffer.length; i += 65536) expect(isZero(buffer.subarray(i, i + 100))).toBe(false);
  });

  it('entries list . .. and the devices, then added nodes; add on a taken name is EEXIST', () => {
    const fs = dev();
    fs.add('tty', new TmpFs(1n).root.create('console', true));
    expect(names(fs.root)).toEqual(['.', '..', 'null', 'zero', 'urandom', 'tty']);
    const inos = fs.root.entries().map((e) => e.ino);
    expect([inos[0] === inos[1], new Set(inos.slice(1, 5)).size]).toEqual([true, 4]); // tty's is its own fs's
    expect(errnoOf(() => fs.add('null', fs.root.lookup('zero')))).toBe('EEXIST');
  });

  it('names cannot be made, removed or moved (EPERM); O_CREAT|O_TRUNC on /dev/null still opens it', () => {
    const root = new TmpFs(1n).root;
    ops.mountAt(root, 'dev', dev().root);
    const null_ = ops.openPath(root, 'dev/null', { ...OPEN, creat: true, trunc: true, write: true });
    expect(null_.filetype).toBe(FILETYPE.characterDevice);
    expect(errnoOf(() => ops.openPath(root, 'dev/null', { ...OPEN, creat: true, excl: true }))).toBe('EEXIST');
    expect(errnoOf(() => ops.openPath(root, 'dev/new', { ...OPEN, creat: true }))).toBe('EPERM');
    for (const op of [() => ops.mkdirPath(root, 'dev/d'), () => ops.symlinkPath('x', root, 'dev/s'),
      () => ops.unlinkPath(root, 'dev/null'), () => ops.rmdirPath(root, 'dev/zero'),
      () => ops.renamePath(root, 'dev/null', root, 'dev/x')]) expect(errnoOf(op)).toBe('EPERM');
    expect(errnoOf(() => ops.mkdirPath(root, 'dev/null'))).toBe('EEXIST');
    expect(errnoOf(() => ops.unlinkPath(root, 'dev/missing'))).toBe('ENOENT');
  });
});

describe('namei', () => {
  it("'..' can never rise above the start, even from a subdirectory that has a parent", () => {
    const { root } = tree();
    const dir = root.lookup('dir');
    for (const [start, path] of [[root, '..'], [root, 'dir/../..'], [dir, '..'], [dir, 'sub/../../file'], [dir, '../dir']] as const) {
      expect(errnoOf(() => namei(start, path, true))).toBe('ENOTCAPABLE');
    }
    expect(namei(dir, 'sub/..', true)).toBe(dir);
    expect(errnoOf(() => nameiParent(dir, '..'))).toBe('ENOTCAPABLE');
    expect(nameiParent(dir, 'sub/..').name).toBe('..');
  });

  it('absolute paths and absolute symlink targets give ENOTCAPABLE', () => {
    const { root } = tree();
    ops.symlinkPath('/dir', root, 'abs');
    for (const path of ['/', '/dir', '//file', 'abs/sub']) expect(errnoOf(() => namei(root, path, true))).toBe('ENOTCAPABLE');
    expect(errnoOf(() => namei(root, 'abs', true))).toBe('ENOTCAPABLE');
    expect(namei(root, 'abs', false).readlink()).toBe('/dir');
  });

  it('a symlink climbing out with ../.. gives ENOTCAPABLE; one staying inside resolves from its directory', () => {
    const { root } = tree();
    ops.symlinkPath('../..', root, 'dir/out');
    ops.symlinkPath('../../file', root, 'dir/sub/ok');
    const dir = root.lookup('dir');
    expect(errnoOf(() => namei(root, 'dir/out/file', true))).toBe('ENOTCAPABLE');
    expect(readText(namei(root, 'dir/sub/ok', true))).toBe('data');
    expect(errnoOf(() => namei(dir, 'sub/ok', true))).toBe('ENOTCAPABLE'); // fine from root, not from dir
  });

  it(`symlink loops give ELOOP; a chain of ${SYMLOOP_MAX} links resolves, one more does not`, () => {
    const { root } = tree();
    ops.symlinkPath('self', root, 'self');
    ops.symlinkPath('pong', root, 'ping');
    ops.symlinkPath('ping', root, 'pong');
    for (const path of ['self', 'ping', 'self/x', 'ping/']) expect(errnoOf(() => namei(root, path, true))).toBe('ELOOP');
    ops.symlinkPath('file', root, 'l0');
    for (let i = 1; i <= SYMLOOP_MAX; i++) ops.symlinkPath(`l${i - 1}`, root, `l${i}`);
    expect(readText(namei(root, `l${SYMLOOP_MAX - 1}`, true))).toBe('data');
    expect(errnoOf(() => namei(root, `l${SYMLOOP_MAX}`, true))).toBe('ELOOP');
  });

  it('a NUL gives EINVAL, an empty path ENOENT, a 256-byte component or 4096-byte path ENAMETOOLONG', () => {
    const { root } = tree();
    expect(errnoOf(() => namei(root, 'file\0', true))).toBe('EINVAL');
    expect(errnoOf(() => namei(root, '', true))).toBe('ENOENT');
    expect(errnoOf(() => namei(root, `dir/${'x'.repeat(256)}`, true))).toBe('ENAMETOOLONG');
    expect(errnoOf(() => namei(root, `dir/${'x'.repeat(255)}`, true))).toBe('ENOENT');
    expect(errnoOf(() => namei(root, './'.repeat(2048), true))).toBe('ENAMETOOLONG');
    expect(namei(root, './'.repeat(2047), true)).toBe(root);
  });

  it("'.' and empty components are skipped; a trailing slash asks for a directory and follows the last link", () => {
    const { root } = tree();
    expect(namei(root, 'dir//./sub/', false)).toBe(root.lookup('dir').lookup('sub'));
    expect(errnoOf(() => namei(root, 'file/', true))).toBe('ENOTDIR');
    expect(errnoOf(() => namei(root, 'file/.', true))).toBe('ENOTDIR');
    expect(errnoOf(() => namei(root, 'file/x', true))).toBe('ENOTDIR');
    expect(namei(root, 'ldir/', false).filetype).toBe(FILETYPE.directory);
    expect(namei(root, 'ldir', false).filetype).toBe(FILETYPE.symbolicLink);
    expect(errnoOf(() => namei(root, 'lfile/', false))).toBe('ENOTDIR');
    expect(errnoOf(() => namei(root, 'dang/', false))).toBe('ENOENT');
  });

  it('nameiParent gives the directory and last name unresolved; the start must be a directory', () => {
    const { root } = tree();
    expect(nameiParent(root, 'ldir/sub/x/')).toEqual({ dir: root.lookup('dir').lookup('sub'), name: 'x', trailingSlash: true });
    expect(nameiParent(root, 'lfile').name).toBe('lfile');
    expect(errnoOf(() => nameiParent(root, 'missing/x'))).toBe('ENOENT');
    expect(errnoOf(() => namei(root.lookup('file'), '.', true))).toBe('ENOTDIR');
  });
});

describe('ops', () => {
  it('openPath O_CREAT|O_EXCL: EEXIST on any existing name, even a dangling symlink (never followed)', () => {
    const { root } = tree();
    for (const path of ['file', 'dir', 'dang', 'lfile']) {
      expect(errnoOf(() => ops.openPath(root, path, { ...OPEN, creat: true, excl: true }))).toBe('EEXIST');
    }
    expect(errnoOf(() => namei(root, 'nowhere', false))).toBe('ENOENT');
    expect(ops.openPath(root, 'fresh', { ...OPEN, creat: true, excl: true }).stat().size).toBe(0n);
  });

  it('openPath O_CREAT follows a dangling symlink and creates its target; without follow it is ELOOP', () => {
    const { root } = tree();
    expect(errnoOf(() => ops.openPath(root, 'dang', { ...OPEN, creat: true, follow: false }))).toBe('ELOOP');
    ops.openPath(root, 'dang', { ...OPEN, creat: true });
    expect(ops.statPath(root, 'nowhere', false).filetype).toBe(FILETYPE.regularFile);
  });

  it('openPath of a final symlink without follow: ELOOP, or ENOTDIR with O_DIRECTORY (Linux O_NOFOLLOW)', () => {
    const { root } = tree();
    const nofollow = { ...OPEN, follow: false };
    expect(errnoOf(() => ops.openPath(root, 'lfile', nofollow))).toBe('ELOOP');
    expect(errnoOf(() => ops.openPath(root, 'ldir', { ...nofollow, directory: true }))).toBe('ENOTDIR');
    expect(ops.openPath(root, 'ldir', { ...OPEN, directory: true }).filetype).toBe(FILETYPE.directory);
  });

  it('openPath: ENOTDIR for O_DIRECTORY on a file, EISDIR for writing, truncating or creating a directory', () => {
    const { root } = tree();
    expect(errnoOf(() => ops.openPath(root, 'file', { ...OPEN, directory: true }))).toBe('ENOTDIR');
    for (const flags of [{ write: true }, { trunc: true }, { creat: true }]) {
      expect(errnoOf(() => ops.openPath(root, 'dir', { ...OPEN, ...flags }))).toBe('EISDIR');
    }
    expect(ops.openPath(root, 'dir/.', OPEN).filetype).toBe(FILETYPE.directory);
  });

  it('openPath: O_TRUNC empties a file; O_CREAT with a trailing slash is EISDIR; with O_DIRECTORY EINVAL', () => {
    const { root } = tree();
    ops.openPath(root, 'lfile', { ...OPEN, trunc: true, write: true });
    expect(ops.statPath(root, 'file', true).size).toBe(0n);
    for (const path of ['new/', 'file/', 'dir/']) expect(errnoOf(() => ops.openPath(root, path, { ...OPEN, creat: true }))).toBe('EISDIR');
    expect(errnoOf(() => ops.openPath(root, 'new', { ...OPEN, creat: true, directory: true }))).toBe('EINVAL');
  });

  it("mkdirPath: EEXIST for '.' '..' and taken names, ENOENT for a missing parent", () => {
    const { root } = tree();
    for (const path of ['.', 'dir/..', 'dir', 'file/', 'dang']) expect(errnoOf(() => ops.mkdirPath(root, path))).toBe('EEXIST');
    expect(errnoOf(() => ops.mkdirPath(root, 'no/x'))).toBe('ENOENT');
    expect(errnoOf(() => ops.mkdirPath(root, 'file/x'))).toBe('ENOTDIR');
  });

  it("rmdirPath: '.' EINVAL, '..' ENOTEMPTY, a symlink to a directory ENOTDIR", () => {
    const { root } = tree();
    expect(errnoOf(() => ops.rmdirPath(root, 'dir/sub/.'))).toBe('EINVAL');
    expect(errnoOf(() => ops.rmdirPath(root, 'dir/sub/..'))).toBe('ENOTEMPTY');
    expect(errnoOf(() => ops.rmdirPath(root, 'ldir/'))).toBe('ENOTDIR');
    ops.rmdirPath(root, 'ldir/sub/');
  });

  it("unlinkPath: trailing slash ENOTDIR on a non-directory, EISDIR on a directory; '.' EISDIR", () => {
    const { root } = tree();
    expect(errnoOf(() => ops.unlinkPath(root, 'file/'))).toBe('ENOTDIR');
    expect(errnoOf(() => ops.unlinkPath(root, 'ldir/'))).toBe('ENOTDIR');
    expect(errnoOf(() => ops.unlinkPath(root, 'dir/'))).toBe('EISDIR');
    expect(errnoOf(() => ops.unlinkPath(root, 'dir'))).toBe('EISDIR');
    expect(errnoOf(() => ops.unlinkPath(root, 'dir/.'))).toBe('EISDIR');
    expect(errnoOf(() => ops.unlinkPath(root, 'missing/'))).toBe('ENOENT');
    ops.unlinkPath(root, 'ldir');
    expect(ops.statPath(root, 'dir', false).filetype).toBe(FILETYPE.directory);
  });

  it("renamePath: trailing slashes need a directory source; '.' and '..' are EBUSY; works between two starts", () => {
    const { root } = tree();
    expect(errnoOf(() => ops.renamePath(root, 'file/', root, 'x'))).toBe('ENOTDIR');
    expect(errnoOf(() => ops.renamePath(root, 'file', root, 'x/'))).toBe('ENOTDIR');
    expect(errnoOf(() => ops.renamePath(root, 'dir/.', root, 'x'))).toBe('EBUSY');
    expect(errnoOf(() => ops.renamePath(root, 'file', root, 'dir/..'))).toBe('EBUSY');
    ops.renamePath(root, 'dir/', root, 'd2/');
    ops.renamePath(root.lookup('d2'), 'sub', root, 'sub2');
    expect(ops.statPath(root, 'sub2', true).filetype).toBe(FILETYPE.directory);
    expect(errnoOf(() => ops.renamePath(root, 'd2', root, 'd2/x'))).toBe('EINVAL');
  });

  it('linkPath: follow links the target, no follow the symlink; new/ ENOENT, taken EEXIST', () => {
    const { root } = tree();
    ops.linkPath(root, 'lfile', true, root, 'h1');
    ops.linkPath(root, 'lfile', false, root, 'h2');
    expect(ops.statPath(root, 'h1', false).ino).toBe(ops.statPath(root, 'file', false).ino);
    expect(ops.readlinkPath(root, 'h2')).toBe('file');
    expect(errnoOf(() => ops.linkPath(root, 'file', false, root, 'new/'))).toBe('ENOENT');
    expect(errnoOf(() => ops.linkPath(root, 'file', false, root, 'dir/'))).toBe('EEXIST');
    expect(errnoOf(() => ops.linkPath(root, 'file', false, root, '.'))).toBe('EEXIST');
    expect(errnoOf(() => ops.linkPath(root, 'file/', false, root, 'x'))).toBe('ENOTDIR');
    expect(errnoOf(() => ops.linkPath(root, 'ldir', true, root, 'x'))).toBe('EPERM');
  });

  it('symlinkPath: empty target ENOENT, NUL EINVAL; new/ ENOENT, a taken name EEXIST with or without slash', () => {
    const { root } = tree();
    expect(errnoOf(() => ops.symlinkPath('', root, 's'))).toBe('ENOENT');
    expect(errnoOf(() => ops.symlinkPath('a\0b', root, 's'))).toBe('EINVAL');
    expect(errnoOf(() => ops.symlinkPath('x', root, 'new/'))).toBe('ENOENT');
    for (const path of ['dir/', 'file/', 'file', 'dang']) expect(errnoOf(() => ops.symlinkPath('x', root, path))).toBe('EEXIST');
  });

  it('readlinkPath, statPath and setTimesPath follow the last symlink only when asked', () => {
    const { root } = tree();
    expect(errnoOf(() => ops.readlinkPath(root, 'ldir/'))).toBe('EINVAL');
    expect(errnoOf(() => ops.readlinkPath(root, 'file'))).toBe('EINVAL');
    ops.setTimesPath(root, 'lfile', false, OLD, OLD);
    expect([ops.statPath(root, 'lfile', false).mtim, ops.statPath(root, 'file', false).mtim === OLD]).toEqual([OLD, false]);
    ops.setTimesPath(root, 'lfile', true, undefined, OLD + 1n);
    expect(ops.statPath(root, 'lfile', true).mtim).toBe(OLD + 1n);
    expect(ops.statPath(root, 'lfile', false).mtim).toBe(OLD);
  });
});
