// The bounds on what the personality server holds for programs, at unit level against dist/: tmpfs
// metadata (inodes, names, hard links, symlink targets, page headers) counts toward its byte limit and
// the server-wide metadata budget, ENOSPC past either, and comes back on unlink, rmdir, rename and last
// close; directory listings kept by open files count toward the listing budget, ENOMEM past it, and
// come back when replaced, forgotten, read to the end or closed (through getdirentries too). Each bound
// is reached, released, and reached again.
import { describe, expect, it } from 'vitest';
import { Request, SYSCALLS } from '../../dist/personality/bsd/syscalls.js';
import { sysGetdirentries } from '../../dist/personality/bsd/sys_dir.js';
import type { GetdirentriesOut } from '../../dist/personality/bsd/bsd_server.js';
import type { Process } from '../../dist/personality/bsd/proc.js';
import type { Personality } from '../../dist/personality/server.js';
import { Budget } from '../../dist/personality/vfs/budget.js';
import { FdTable, OpenFile } from '../../dist/personality/vfs/file.js';
import * as ops from '../../dist/personality/vfs/ops.js';
import { PAGE_SIZE, TmpFs } from '../../dist/personality/vfs/tmpfs.js';
import type { Vnode } from '../../dist/personality/vfs/vnode.js';
import { RIGHTS_DIR } from '../../dist/abi/wasi.js';
import { errnoOf } from './vfs_conformance.js';

const KiB = 1024;
const TARGET = 'a/'.repeat(2000); // a 4000-byte symlink target

/** Call make(i) for i = 0, 1, ... until it throws; the count that succeeded and the errno that ended it. */
function untilError(make: (i: number) => void): { count: number; errno: string } {
  for (let count = 0; ; count++) {
    const errno = errnoOf(() => make(count));
    if (errno !== 'success') return { count, errno };
  }
}

function removeAll(dir: Vnode, remove: (name: string) => void): void {
  for (const e of dir.entries().slice(2)) remove(e.name);
}

describe('tmpfs metadata counts toward its byte limit', () => {
  const cases: Array<[string, (root: Vnode, i: number) => void, (root: Vnode, name: string) => void]> = [
    ['symlinks with 4000-byte targets', (root, i) => root.symlink(`s${i}`, TARGET), (root, name) => root.unlink(name)],
    ['empty files', (root, i) => root.create(`file-${i}`, true), (root, name) => root.unlink(name)],
    ['directories', (root, i) => root.mkdir(`dir-${i}`), (root, name) => root.rmdir(name)],
  ];
  for (const [what, make, remove] of cases) {
    it(`${what}: ENOSPC at the limit; removing them all gives every byte back; as many fit again`, () => {
      const fs = new TmpFs(1n, 256 * KiB);
      const first = untilError((i) => make(fs.root, i));
      expect(first.errno).toBe('ENOSPC');
      expect(first.count).toBeGreaterThan(10);
      expect(fs.metadataBytes).toBeLessThanOrEqual(256 * KiB);
      removeAll(fs.root, (name) => remove(fs.root, name));
      expect(fs.metadataBytes).toBe(0);
      expect(untilError((i) => make(fs.root, i))).toEqual(first);
    });
  }

  it('a symlink costs its target: 4000-byte targets fill the limit about 15 times sooner than short ones', () => {
    const long = new TmpFs(1n, 256 * KiB);
    const short = new TmpFs(2n, 256 * KiB);
    const longCount = untilError((i) => long.root.symlink(`s${i}`, TARGET)).count;
    const shortCount = untilError((i) => short.root.symlink(`s${i}`, 'x')).count;
    expect(shortCount / longCount).toBeGreaterThan(10);
  });

  it('hard links cost their names without a new inode; unlinking them gives the names back', () => {
    const fs = new TmpFs(1n, 64 * KiB);
    const file = fs.root.create('target', true);
    const before = fs.metadataBytes;
    const links = untilError((i) => fs.root.link(`${'n'.repeat(200)}${i}`, file));
    expect(links.errno).toBe('ENOSPC');
    expect(file.stat().nlink).toBe(BigInt(links.count + 1));
    removeAll(fs.root, (name) => name !== 'target' && fs.root.unlink(name));
    expect(fs.metadataBytes).toBe(before);
    expect(file.stat().nlink).toBe(1n);
  });

  it('a refused create changes nothing: no name, no charge', () => {
    const fs = new TmpFs(1n, 16 * KiB);
    const full = untilError((i) => fs.root.mkdir(`d${i}`));
    const used = fs.metadataBytes;
    expect(errnoOf(() => fs.root.create('one-more', true))).toBe('ENOSPC');
    expect(errnoOf(() => ops.symlinkPath(TARGET, fs.root, 'link'))).toBe('ENOSPC');
    expect(errnoOf(() => fs.root.lookup('one-more'))).toBe('ENOENT');
    expect(fs.metadataBytes).toBe(used);
    expect(fs.root.entries()).toHaveLength(full.count + 2);
  });

  it('a rename charges a longer name, gives back a shorter one, and keeps a replaced entry\'s charge', () => {
    const fs = new TmpFs(1n);
    fs.root.create('a', true);
    fs.root.create('b', true);
    const used = fs.metadataBytes;
    fs.root.rename('a', fs.root, 'a'.repeat(101));
    expect(fs.metadataBytes).toBe(used + 100);
    fs.root.rename('a'.repeat(101), fs.root, 'c');
    expect(fs.metadataBytes).toBe(used);
    fs.root.rename('c', fs.root, 'b'); // the name 'c' and the file 'b' named go; the entry 'b' stays
    const justB = new TmpFs(2n);
    justB.root.create('b', true);
    expect(fs.metadataBytes).toBe(justB.metadataBytes);
  });

  it('a rename to a longer name on a full file system is ENOSPC and leaves both names as they were', () => {
    const fs = new TmpFs(1n, 16 * KiB);
    const file = fs.root.create('f', true);
    untilError((i) => fs.root.link(`l${i}`, file)); // full to within one short name
    expect(errnoOf(() => fs.root.rename('f', fs.root, 'f'.repeat(200)))).toBe('ENOSPC');
    expect(errnoOf(() => fs.root.lookup('f'))).toBe('success');
    expect(errnoOf(() => fs.root.lookup('f'.repeat(200)))).toBe('ENOENT');
  });

  it('an unlinked file or removed directory still open keeps its inode charge until the last close', () => {
    const fs = new TmpFs(1n);
    const file = new OpenFile(fs.root.create('f', true), 0);
    fs.root.mkdir('d');
    const dir = new OpenFile(fs.root.lookup('d'), 0);
    const open = fs.metadataBytes;
    fs.root.unlink('f');
    fs.root.rmdir('d');
    const names = open - fs.metadataBytes;
    expect(names).toBeGreaterThan(0);
    expect(names).toBeLessThan(200); // two directory entries, not the inodes
    file.drop();
    dir.drop();
    expect(fs.metadataBytes).toBe(0);
  });

  it('each stored page costs its header: one byte per page reaches ENOSPC long before the data would', () => {
    const fs = new TmpFs(1n, 64 * KiB);
    const file = fs.root.create('sparse', true);
    const pages = untilError((i) => file.write(i * PAGE_SIZE, new Uint8Array(1)));
    expect(pages.errno).toBe('ENOSPC');
    expect(pages.count).toBeLessThan((64 * KiB) / 200);
    expect(fs.bytesUsed).toBe(pages.count * PAGE_SIZE); // a page of the cache counts whole
    file.setSize(0);
    expect(fs.bytesUsed).toBe(0);
    expect(untilError((i) => file.write(i * PAGE_SIZE, new Uint8Array(1))).count).toBe(pages.count);
  });
});

describe('the server-wide metadata budget', () => {
  it('is shared by every tmpfs: filling one makes the others ENOSPC too, and freeing it lets them create', () => {
    const metadata = new Budget(64 * KiB);
    const a = new TmpFs(1n, Number.POSITIVE_INFINITY, metadata);
    const b = new TmpFs(2n, Number.POSITIVE_INFINITY, metadata);
    expect(untilError((i) => a.root.create(`f${i}`, true)).errno).toBe('ENOSPC');
    expect(errnoOf(() => b.root.mkdir('d'))).toBe('ENOSPC');
    expect(metadata.bytesUsed).toBe(a.metadataBytes);
    a.root.unlink('f0');
    expect(errnoOf(() => b.root.create('g', true))).toBe('success');
    removeAll(a.root, (name) => a.root.unlink(name));
    removeAll(b.root, (name) => b.root.unlink(name));
    expect(metadata.bytesUsed).toBe(0);
  });

  it('file data does not count toward it (data lives outside the heap)', () => {
    const metadata = new Budget(4 * KiB);
    const fs = new TmpFs(1n, Number.POSITIVE_INFINITY, metadata);
    const file = fs.root.create('f', true);
    expect(file.write(0, new Uint8Array(PAGE_SIZE))).toBe(PAGE_SIZE);
    expect(metadata.bytesUsed).toBe(fs.metadataBytes);
    expect(metadata.bytesUsed).toBeLessThan(4 * KiB);
  });
});

/** A directory of `n` files in a fresh tmpfs. */
function bigDir(n: number): Vnode {
  const root = new TmpFs(1n).root;
  for (let i = 0; i < n; i++) root.create(`entry-${i}`, true);
  return root;
}

describe('directory listings kept by open files', () => {
  it('are charged when taken, once per open file, and released on close (the last reference)', () => {
    const dir = bigDir(1000);
    const budget = new Budget();
    const file = new OpenFile(dir, 0);
    expect(file.list(budget)).toHaveLength(1002);
    const one = budget.bytesUsed;
    expect(one).toBeGreaterThan(1002 * 64);
    const shared = file.share();
    shared.drop();
    expect(budget.bytesUsed).toBe(one); // another descriptor still refers to it
    file.drop();
    expect(budget.bytesUsed).toBe(0);
  });

  it('a new listing (a read from cookie 0) replaces the kept one and its charge; forget() gives it back', () => {
    const dir = bigDir(100);
    const budget = new Budget();
    const file = new OpenFile(dir, 0);
    file.list(budget);
    const one = budget.bytesUsed;
    dir.create('one-more', true);
    expect(file.list(budget)).toHaveLength(103);
    expect(budget.bytesUsed).toBe(one + 64 + 'one-more'.length);
    file.forget();
    expect([budget.bytesUsed, file.listing]).toEqual([0, undefined]);
  });

  it('past the budget: ENOMEM, nothing kept or charged; closing others makes room again', () => {
    const dir = bigDir(1000);
    const budget = new Budget(512 * KiB);
    const files: OpenFile[] = [];
    const held = untilError(() => {
      const f = new OpenFile(dir, 0);
      files.push(f);
      f.list(budget);
    });
    expect(held.errno).toBe('ENOMEM');
    expect(held.count).toBeGreaterThan(0);
    const refused = files[held.count];
    expect(refused.listing).toBeUndefined();
    expect(budget.bytesUsed).toBeLessThanOrEqual(512 * KiB);
    files[0].drop();
    expect(refused.list(budget)).toHaveLength(1002);
  });

  it('a process ending (closeAll) gives back every listing its descriptors kept', () => {
    const dir = bigDir(100);
    const budget = new Budget();
    const fds = new FdTable(16);
    for (let i = 0; i < 10; i++) {
      const file = new OpenFile(dir, 0);
      file.list(budget);
      fds.install({ file, rights: 0, inheriting: 0 });
    }
    expect(budget.bytesUsed).toBeGreaterThan(0);
    fds.closeAll();
    expect(budget.bytesUsed).toBe(0);
  });
});

describe('getdirentries and the listing budget', () => {
  const getdirentries = [...SYSCALLS.values()].find((e) => e.name === 'getdirentries')!;

  /** A process whose descriptor 0 is `dir` opened for reading, and a server holding only `listings`. */
  function setup(dir: Vnode, listings: Budget): { readdir: (len: number, cookie: bigint) => GetdirentriesOut; proc: Process } {
    // getdirentries touches only the descriptors (and the room it is given in the window).
    const proc = { pid: 1, task: 1, name: 'test', fds: new FdTable(16) } as unknown as Process;
    const window = new Uint8Array(65536);
    proc.fds.install({ file: new OpenFile(dir, 0), rights: RIGHTS_DIR, inheriting: 0 });
    const server = { vfs: { listings } } as unknown as Personality;
    const readdir = (len: number, cookie: bigint) => {
      const args = { fd: 0, entries: window.subarray(0, len), cookie, truncate: 0 };
      return sysGetdirentries(new Request(proc, getdirentries, args, server), args);
    };
    return { readdir, proc };
  }

  it('a listing read in part is kept (charged) until read to its end, which lets it go', () => {
    const listings = new Budget();
    const { readdir } = setup(bigDir(1000), listings);
    const { next, end } = readdir(256, 0n);
    expect(end).toBe(0);
    const one = listings.bytesUsed;
    expect(one).toBeGreaterThan(1002 * 64);
    expect(readdir(256, 0n).end).toBe(0); // a new listing from cookie 0 replaces the kept one
    expect(listings.bytesUsed).toBe(one);
    expect(readdir(65536, next).end).toBe(1);
    expect(listings.bytesUsed).toBe(0);
  });

  it('past the budget: ENOMEM; closing the descriptor gives its listing back', () => {
    const dir = bigDir(1000);
    const listings = new Budget(100 * KiB); // one listing of 1000 entries (about 73 KiB), not two
    const first = setup(dir, listings);
    first.readdir(256, 0n);
    expect(errnoOf(() => setup(dir, listings).readdir(256, 0n))).toBe('ENOMEM');
    first.proc.fds.close(0);
    expect(listings.bytesUsed).toBe(0);
    expect(setup(dir, listings).readdir(256, 0n).entries).toBeGreaterThan(0);
  });
});
