// The behaviour every file system of the VFS shares, as one vitest `describe` to run against each:
// vfsConformance(name, makeRoot) gets a fresh, empty root directory Vnode per test. It holds only what a
// real Linux directory also does (a host mount runs it too): no sparse-page internals, no particular inode
// numbers, no directory sizes or directory link counts. Also exports the small helpers the VFS tests share.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errnoName } from '../../dist/abi/errno.js';
import { FILETYPE } from '../../dist/abi/wasi.js';
import * as ops from '../../dist/personality/vfs/ops.js';
import { nowNs, type Vnode } from '../../dist/personality/vfs/vnode.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The errno name `fn` throws ('EEXIST'), or 'success'. */
export function errnoOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (typeof e === 'object' && e !== null && 'errno' in e && typeof e.errno === 'number') return errnoName(e.errno);
    throw e;
  }
  return 'success';
}

export function writeText(node: Vnode, offset: number, text: string): number {
  return node.write(offset, encoder.encode(text));
}

export function readText(node: Vnode, offset = 0, max = 4096): string {
  const buffer = new Uint8Array(max);
  return decoder.decode(buffer.subarray(0, node.read(offset, buffer)));
}

export function readBytes(node: Vnode, offset: number, length: number): Uint8Array {
  const buffer = new Uint8Array(length);
  return buffer.subarray(0, node.read(offset, buffer));
}

export function names(dir: Vnode): string[] {
  return dir.entries().map((e) => e.name);
}

/** A regular file at `path` (created through the path operations) holding `text`. */
export function makeFile(start: Vnode, path: string, text = ''): Vnode {
  const file = ops.openPath(start, path, { follow: true, creat: true, excl: true, trunc: false, directory: false, write: true });
  if (text !== '') writeText(file, 0, text);
  return file;
}

// 2001-09-09 with microseconds: a host mount sets times through Node's fs.utimes (seconds as a double), which
// keeps microseconds but not nanoseconds; tmpfs's exact nanoseconds are tested in vfs.test.ts.
const OLD = 1_000_000_000_123_456_000n;
const SECOND = 1_000_000_000n;

export function vfsConformance(name: string, makeRoot: () => { root: Vnode; cleanup?: () => void }): void {
  describe(`VFS conformance: ${name}`, () => {
    let root: Vnode;
    let cleanup: (() => void) | undefined;
    beforeEach(() => {
      ({ root, cleanup } = makeRoot());
    });
    afterEach(() => cleanup?.());

    const ino = (node: Vnode) => node.stat().ino;

    describe('files', () => {
      it('create makes an empty regular file; again it returns that file; exclusive gives EEXIST', () => {
        const file = root.create('f', true);
        const st = file.stat();
        expect([st.filetype, st.size, st.nlink]).toEqual([FILETYPE.regularFile, 0n, 1n]);
        expect(st.dev).toBe(root.stat().dev);
        expect(ino(root.create('f', false))).toBe(st.ino);
        expect(errnoOf(() => root.create('f', true))).toBe('EEXIST');
      });

      it('reads back what was written, at any offset; at or past the end a read returns 0', () => {
        const file = root.create('f', true);
        expect(writeText(file, 0, 'hello world')).toBe(11);
        expect(writeText(file, 6, 'WORLD')).toBe(5);
        expect(readText(file)).toBe('hello WORLD');
        expect(readText(file, 6, 3)).toBe('WOR');
        expect(readText(file, 11)).toBe('');
        expect(readText(file, 1000)).toBe('');
        expect(file.stat().size).toBe(11n);
      });

      it('a write past the end leaves a gap that reads as zeros', () => {
        const file = root.create('f', true);
        writeText(file, 0, 'ab');
        writeText(file, 100_000, 'z');
        expect(file.stat().size).toBe(100_001n);
        const gap = readBytes(file, 2, 99_998);
        expect(gap.length).toBe(99_998);
        expect(gap.every((b) => b === 0)).toBe(true);
        expect(readText(file, 99_999, 10)).toBe('\0z');
      });

      it('setSize grows with zeros and shrinks; regrowing does not bring old bytes back', () => {
        const file = root.create('f', true);
        writeText(file, 0, 'abcdef');
        file.setSize(3);
        expect(readText(file)).toBe('abc');
        file.setSize(6);
        expect(readText(file)).toBe('abc\0\0\0');
        file.setSize(0);
        expect(file.stat().size).toBe(0n);
      });

      it('directory operations on a file give ENOTDIR; file operations on a directory EISDIR', () => {
        const file = root.create('f', true);
        expect(errnoOf(() => file.lookup('x'))).toBe('ENOTDIR');
        expect(errnoOf(() => file.create('x', false))).toBe('ENOTDIR');
        expect(errnoOf(() => file.mkdir('x'))).toBe('ENOTDIR');
        expect(errnoOf(() => file.entries())).toBe('ENOTDIR');
        expect(errnoOf(() => root.read(0, new Uint8Array(1)))).toBe('EISDIR');
        expect(errnoOf(() => root.write(0, new Uint8Array(1)))).toBe('EISDIR');
        expect(errnoOf(() => root.setSize(0))).toBe('EISDIR');
      });

      it('a retained file stays readable and writable after its last name is removed', () => {
        const file = makeFile(root, 'f', 'kept');
        file.retain();
        root.unlink('f');
        expect(errnoOf(() => root.lookup('f'))).toBe('ENOENT');
        expect(readText(file)).toBe('kept');
        writeText(file, 4, '!');
        expect(readText(file)).toBe('kept!');
        file.release();
      });
    });

    describe('directories', () => {
      it('mkdir then lookup; EEXIST on a taken name (of any type); ENOENT for a missing one', () => {
        root.mkdir('d');
        expect(root.lookup('d').filetype).toBe(FILETYPE.directory);
        root.create('f', true);
        root.symlink('s', 'nowhere');
        for (const taken of ['d', 'f', 's']) expect(errnoOf(() => root.mkdir(taken))).toBe('EEXIST');
        expect(errnoOf(() => root.lookup('missing'))).toBe('ENOENT');
      });

      it("entries start with '.' and '..' and list each name once with its type", () => {
        root.mkdir('d');
        root.create('f', true);
        root.symlink('s', 'f');
        const entries = root.entries();
        expect(entries.slice(0, 2).map((e) => e.name)).toEqual(['.', '..']);
        const types = Object.fromEntries(entries.slice(2).map((e) => [e.name, e.filetype]));
        expect(types).toEqual({ d: FILETYPE.directory, f: FILETYPE.regularFile, s: FILETYPE.symbolicLink });
        expect(entries.find((e) => e.name === 'f')?.ino).toBe(ino(root.lookup('f')));
      });

      it("'.' is the directory itself and a subdirectory's '..' is its parent", () => {
        root.mkdir('d');
        const d = root.lookup('d');
        const [dot, dotdot] = d.entries();
        expect(dot.ino).toBe(ino(d));
        expect(dotdot.ino).toBe(ino(root));
      });

      it('rmdir removes an empty directory; ENOTEMPTY, ENOTDIR and ENOENT otherwise', () => {
        root.mkdir('d');
        root.lookup('d').mkdir('sub');
        root.create('f', true);
        expect(errnoOf(() => root.rmdir('d'))).toBe('ENOTEMPTY');
        expect(errnoOf(() => root.rmdir('f'))).toBe('ENOTDIR');
        expect(errnoOf(() => root.rmdir('missing'))).toBe('ENOENT');
        root.lookup('d').rmdir('sub');
        root.rmdir('d');
        expect(names(root)).toEqual(['.', '..', 'f']);
      });

      it('unlink removes a file or a symlink (not its target); EISDIR for a directory; ENOENT when absent', () => {
        root.create('f', true);
        root.symlink('s', 'f');
        root.mkdir('d');
        root.unlink('s');
        expect(root.lookup('f').filetype).toBe(FILETYPE.regularFile);
        root.unlink('f');
        expect(errnoOf(() => root.unlink('d'))).toBe('EISDIR');
        expect(errnoOf(() => root.unlink('f'))).toBe('ENOENT');
        expect(names(root)).toEqual(['.', '..', 'd']);
      });

      it('a name of 255 UTF-8 bytes is fine; 256 gives ENAMETOOLONG', () => {
        root.create('a'.repeat(255), true);
        root.mkdir('é'.repeat(127));
        expect(errnoOf(() => root.create('a'.repeat(256), true))).toBe('ENAMETOOLONG');
        expect(errnoOf(() => root.mkdir('é'.repeat(128)))).toBe('ENAMETOOLONG');
      });
    });

    describe('rename', () => {
      it('moves a file to a new name and into another directory, keeping its inode', () => {
        const before = ino(makeFile(root, 'a', 'data'));
        root.mkdir('d');
        root.rename('a', root, 'b');
        root.rename('b', root.lookup('d'), 'c');
        expect(names(root)).toEqual(['.', '..', 'd']);
        const moved = root.lookup('d').lookup('c');
        expect([ino(moved), readText(moved)]).toEqual([before, 'data']);
      });

      it('replaces a file by a file, and an empty directory by a directory', () => {
        makeFile(root, 'a', 'new');
        makeFile(root, 'b', 'old');
        root.rename('a', root, 'b');
        expect(readText(root.lookup('b'))).toBe('new');
        root.mkdir('d1');
        root.lookup('d1').create('inside', true);
        root.mkdir('d2');
        root.rename('d1', root, 'd2');
        expect(names(root.lookup('d2'))).toEqual(['.', '..', 'inside']);
        expect(names(root)).toEqual(['.', '..', 'b', 'd2']);
      });

      it('gives ENOTEMPTY over a non-empty directory, EISDIR file over directory, ENOTDIR directory over file', () => {
        root.mkdir('d');
        root.mkdir('full');
        root.lookup('full').create('x', true);
        root.create('f', true);
        expect(errnoOf(() => root.rename('d', root, 'full'))).toBe('ENOTEMPTY');
        expect(errnoOf(() => root.rename('f', root, 'd'))).toBe('EISDIR');
        expect(errnoOf(() => root.rename('d', root, 'f'))).toBe('ENOTDIR');
      });

      it('gives EINVAL for a directory into itself or its own descendant', () => {
        root.mkdir('d');
        const d = root.lookup('d');
        d.mkdir('sub');
        expect(errnoOf(() => root.rename('d', d, 'x'))).toBe('EINVAL');
        expect(errnoOf(() => root.rename('d', d.lookup('sub'), 'x'))).toBe('EINVAL');
      });

      it('onto a hard link of the same file, or onto itself, does nothing', () => {
        root.create('a', true);
        root.link('b', root.lookup('a'));
        root.rename('a', root, 'b');
        root.rename('a', root, 'a');
        expect(names(root)).toEqual(['.', '..', 'a', 'b']);
        expect(root.lookup('a').stat().nlink).toBe(2n);
      });

      it('gives ENOENT for a missing source', () => {
        expect(errnoOf(() => root.rename('missing', root, 'x'))).toBe('ENOENT');
      });
    });

    describe('hard links', () => {
      it('link adds a name for the same inode and both names count', () => {
        const file = makeFile(root, 'a', 'shared');
        root.mkdir('d');
        root.lookup('d').link('b', file);
        const other = root.lookup('d').lookup('b');
        expect([ino(other), readText(other), other.stat().nlink]).toEqual([ino(file), 'shared', 2n]);
        root.unlink('a');
        expect(other.stat().nlink).toBe(1n);
      });

      it('gives EEXIST for a taken name and EPERM for a directory', () => {
        root.create('a', true);
        root.mkdir('d');
        expect(errnoOf(() => root.link('d', root.lookup('a')))).toBe('EEXIST');
        expect(errnoOf(() => root.link('e', root.lookup('d')))).toBe('EPERM');
      });

      it('can link a symlink itself', () => {
        root.symlink('s', 'nowhere');
        root.link('t', root.lookup('s'));
        expect(root.lookup('t').readlink()).toBe('nowhere');
        expect(root.lookup('s').stat().nlink).toBe(2n);
      });
    });

    describe('symlinks', () => {
      it('keeps its target verbatim, dangling or not; its size is the target length in bytes', () => {
        for (const [i, target] of ['f', '../x/y', 'a//b/', 'nowhere', 'é'].entries()) root.symlink(`s${i}`, target);
        expect([0, 1, 2, 3, 4].map((i) => root.lookup(`s${i}`).readlink())).toEqual(['f', '../x/y', 'a//b/', 'nowhere', 'é']);
        const st = root.lookup('s4').stat();
        expect([st.filetype, st.size]).toEqual([FILETYPE.symbolicLink, 2n]);
      });

      it('readlink of anything else gives EINVAL; a taken name EEXIST', () => {
        root.create('f', true);
        expect(errnoOf(() => root.lookup('f').readlink())).toBe('EINVAL');
        expect(errnoOf(() => root.readlink())).toBe('EINVAL');
        expect(errnoOf(() => root.symlink('f', 'x'))).toBe('EEXIST');
      });
    });

    describe('times', () => {
      it('setTimes sets exact times (to the microsecond); an undefined time is left alone', () => {
        const file = root.create('f', true);
        const us = 1000n;
        file.setTimes(OLD, OLD + us);
        expect([file.stat().atim, file.stat().mtim]).toEqual([OLD, OLD + us]);
        file.setTimes(undefined, OLD + 2n * us);
        expect([file.stat().atim, file.stat().mtim]).toEqual([OLD, OLD + 2n * us]);
        file.setTimes(OLD + 3n * us, undefined);
        expect([file.stat().atim, file.stat().mtim]).toEqual([OLD + 3n * us, OLD + 2n * us]);
      });

      it("'now' sets a time near now, and ctim moves with it", () => {
        const file = root.create('f', true);
        file.setTimes(OLD, OLD);
        const before = nowNs();
        file.setTimes('now', undefined);
        const st = file.stat();
        expect(st.atim > before - 5n * SECOND && st.atim < nowNs() + 5n * SECOND).toBe(true);
        expect(st.mtim).toBe(OLD);
        expect(st.ctim > before - 5n * SECOND).toBe(true);
      });

      it('times are nanoseconds since the epoch', () => {
        const st = root.create('f', true).stat();
        for (const t of [st.atim, st.mtim, st.ctim]) {
          expect(typeof t).toBe('bigint');
          expect(t > 1_600_000_000n * SECOND && t < 7_000_000_000n * SECOND).toBe(true);
        }
      });

      it('a write and a setSize move mtim and ctim forward', () => {
        const file = root.create('f', true);
        file.setTimes(OLD, OLD);
        writeText(file, 0, 'x');
        expect(file.stat().mtim > OLD && file.stat().ctim >= file.stat().mtim).toBe(true);
        file.setTimes(OLD, OLD);
        file.setSize(10);
        expect(file.stat().mtim > OLD).toBe(true);
      });

      it("adding, removing and renaming names moves the directory's mtim forward", () => {
        root.mkdir('d');
        const d = root.lookup('d');
        const steps: Array<() => void> = [() => d.create('f', true), () => d.rename('f', d, 'g'), () => d.mkdir('e'),
          () => d.symlink('s', 'g'), () => d.link('h', d.lookup('g')), () => d.unlink('g'), () => d.rmdir('e')];
        for (const step of steps) {
          d.setTimes(OLD, OLD);
          step();
          expect(d.stat().mtim > OLD).toBe(true);
        }
      });
    });

    describe('paths through this file system', () => {
      it('openPath creates, opens and truncates through nested directories', () => {
        ops.mkdirPath(root, 'a');
        ops.mkdirPath(root, 'a/b/');
        makeFile(root, 'a/b/f', 'content');
        const opts = { follow: true, creat: false, excl: false, trunc: false, directory: false, write: false };
        expect(readText(ops.openPath(root, './a//b/f', opts))).toBe('content');
        ops.openPath(root, 'a/b/f', { ...opts, trunc: true, write: true });
        expect(ops.statPath(root, 'a/b/f', true).size).toBe(0n);
        expect(errnoOf(() => ops.openPath(root, 'a/b/f/', opts))).toBe('ENOTDIR');
        expect(errnoOf(() => ops.openPath(root, 'a/missing/f', opts))).toBe('ENOENT');
      });

      it('follows symlinks mid-path always and at the end only when asked', () => {
        ops.mkdirPath(root, 'dir');
        makeFile(root, 'dir/f', 'via link');
        ops.symlinkPath('dir', root, 'ld');
        ops.symlinkPath('ld/f', root, 'lf');
        expect(readText(ops.openPath(root, 'ld/f', { follow: false, creat: false, excl: false, trunc: false, directory: false, write: false }))).toBe('via link');
        expect(ops.statPath(root, 'lf', true).filetype).toBe(FILETYPE.regularFile);
        expect(ops.statPath(root, 'lf', false).filetype).toBe(FILETYPE.symbolicLink);
        expect(ops.readlinkPath(root, 'lf')).toBe('ld/f');
      });

      it('never leaves the root: .., absolute paths and symlinks pointing out give ENOTCAPABLE', () => {
        ops.mkdirPath(root, 'd');
        ops.symlinkPath('/etc', root, 'abs');
        ops.symlinkPath('../..', root, 'd/up');
        for (const path of ['..', 'd/../..', '/etc', 'abs/passwd', 'd/up/x']) {
          expect(errnoOf(() => ops.statPath(root, path, true))).toBe('ENOTCAPABLE');
        }
      });

      it('rename, link, unlink and rmdir by path', () => {
        ops.mkdirPath(root, 'a');
        ops.mkdirPath(root, 'b');
        makeFile(root, 'a/f', 'x');
        ops.renamePath(root, 'a/f', root, 'b/g');
        ops.linkPath(root, 'b/g', false, root, 'a/h');
        expect(ops.statPath(root, 'a/h', false).nlink).toBe(2n);
        ops.unlinkPath(root, 'b/g');
        ops.renamePath(root, 'b/', root, 'c/');
        ops.rmdirPath(root, 'c');
        expect(names(root)).toEqual(['.', '..', 'a']);
      });
    });
  });
}
