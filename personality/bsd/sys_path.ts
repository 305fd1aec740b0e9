// Path system calls (the *at family): each is relative to a directory descriptor, needs that
// descriptor's right for the operation, and resolves the path with the capability-safe lookup in
// vfs/namei.ts (nothing outside the descriptor's directory is reachable). The path semantics live in
// vfs/ops.ts; here: decode, check rights, act, and build the new descriptor for openat.
import { EINVAL } from '../interfaces/errno.js';
import { RIGHT, RIGHTS_DIR, RIGHTS_FILE, RIGHTS_TTY, FILETYPE, OFLAGS, OFLAGS_ALL, FDFLAGS_ALL, LOOKUP_SYMLINK_FOLLOW } from '../interfaces/wasi.js';
import { AT_REMOVEDIR } from '../interfaces/bsd.js';
import { VfsError, type Vnode } from '../vfs/vnode.js';
import { OpenFile } from '../vfs/file.js';
import * as ops from '../vfs/ops.js';
import { EESCAPE } from '../vfs/namei.js';
import { statWords, timesFrom, checkWithin } from './sys_file.js';
import type { Request } from './syscalls.js';

/** The directory vnode of descriptor word `i`, if it holds `rights`. */
function dir(r: Request, i: number, rights: number): Vnode {
  return r.proc.fds.need(r.word(i), rights).file.vnode;
}

function follows(flags: number): boolean {
  if (flags & ~LOOKUP_SYMLINK_FOLLOW) throw new VfsError(EINVAL);
  return (flags & LOOKUP_SYMLINK_FOLLOW) !== 0;
}

/** The rights a descriptor for `v` can have at most. */
function rightsFor(v: Vnode): number {
  if (v.filetype === FILETYPE.directory) return RIGHTS_DIR;
  return v.seekable ? RIGHTS_FILE : RIGHTS_TTY;
}

export function sysOpenat(r: Request): readonly number[] {
  const oflags = r.word(3);
  const rights = r.rights(4);
  const inheriting = r.rights(6);
  const fdflags = r.word(8);
  if (oflags & ~OFLAGS_ALL || fdflags & ~FDFLAGS_ALL) throw new VfsError(EINVAL);
  const creat = (oflags & OFLAGS.creat) !== 0;
  const trunc = (oflags & OFLAGS.trunc) !== 0;
  const d = r.proc.fds.need(r.word(0), RIGHT.pathOpen | (creat ? RIGHT.pathCreateFile : 0) | (trunc ? RIGHT.pathFilestatSetSize : 0));
  checkWithin(rights, inheriting, d.inheriting, d.inheriting);
  const v = ops.openPath(d.file.vnode, r.path(0), {
    follow: follows(r.word(1)),
    creat,
    excl: (oflags & OFLAGS.excl) !== 0,
    trunc,
    directory: (oflags & OFLAGS.directory) !== 0,
    write: (rights & RIGHT.fdWrite) !== 0,
  });
  const file = new OpenFile(v, fdflags);
  return [r.proc.fds.install({ file, rights: rights & rightsFor(v), inheriting })];
}

export function sysMkdirat(r: Request): readonly number[] {
  ops.mkdirPath(dir(r, 0, RIGHT.pathCreateDirectory), r.path(0));
  return [];
}

export function sysUnlinkat(r: Request): readonly number[] {
  const flags = r.word(2);
  if (flags & ~AT_REMOVEDIR) throw new VfsError(EINVAL);
  if (flags & AT_REMOVEDIR) ops.rmdirPath(dir(r, 0, RIGHT.pathRemoveDirectory), r.path(0));
  else ops.unlinkPath(dir(r, 0, RIGHT.pathUnlinkFile), r.path(0));
  return [];
}

export function sysRenameat(r: Request): readonly number[] {
  ops.renamePath(dir(r, 0, RIGHT.pathRenameSource), r.path(0), dir(r, 2, RIGHT.pathRenameTarget), r.path(1));
  return [];
}

export function sysLinkat(r: Request): readonly number[] {
  ops.linkPath(dir(r, 0, RIGHT.pathLinkSource), r.path(0), follows(r.word(1)), dir(r, 3, RIGHT.pathLinkTarget), r.path(1));
  return [];
}

/**
 * A program cannot make a symlink with an absolute target (as under wasmtime and uvwasi): no
 * lookup of its own would follow it, and on a host mount a host program would, to the host's
 * root. The errno is that of every escape.
 */
export function sysSymlinkat(r: Request): readonly number[] {
  const target = r.path(0);
  const at = dir(r, 1, RIGHT.pathSymlink);
  if (target.startsWith('/')) throw new VfsError(EESCAPE, 'absolute symlink target');
  ops.symlinkPath(target, at, r.path(1));
  return [];
}

/** The target into the window, cut to len bytes (as readlink does); returns the bytes written. */
export function sysReadlinkat(r: Request): readonly number[] {
  const target = new TextEncoder().encode(ops.readlinkPath(dir(r, 0, RIGHT.pathReadlink), r.path(0)));
  const out = r.out(Math.min(r.word(2), target.length));
  out.set(target.subarray(0, out.length));
  return [out.length];
}

export function sysFstatat(r: Request): readonly number[] {
  return statWords(ops.statPath(dir(r, 0, RIGHT.pathFilestatGet), r.path(0), follows(r.word(1))));
}

export function sysUtimensat(r: Request): readonly number[] {
  const times = timesFrom(r.u64(3), r.u64(5), r.word(7));
  ops.setTimesPath(dir(r, 0, RIGHT.pathFilestatSetTimes), r.path(0), follows(r.word(1)), ...times);
  return [];
}
