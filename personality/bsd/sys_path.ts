// Path system calls (the *at family): each is relative to a directory descriptor, needs that
// descriptor's right for the operation, and resolves the path with the capability-safe lookup in
// vfs/namei.ts (nothing outside the descriptor's directory is reachable). The path semantics live in
// vfs/ops.ts; here: decode, check rights, act, and build the new descriptor for openat.
import { EINVAL } from '../../abi/errno.js';
import { RIGHT, RIGHTS_DIR, RIGHTS_FILE, RIGHTS_TTY, FILETYPE, OFLAGS, OFLAGS_ALL, FDFLAGS_ALL, LOOKUP_SYMLINK_FOLLOW } from '../../abi/wasi.js';
import { AT_REMOVEDIR } from '../../abi/bsd.js';
import { VfsError, type Vnode } from '../vfs/vnode.js';
import { OpenFile, type Descriptor, type FdTable } from '../vfs/file.js';
import * as ops from '../vfs/ops.js';
import { EESCAPE } from '../vfs/namei.js';
import { statOut, timesFrom, checkWithin, rightsArg } from './sys_file.js';
import type { Request } from './syscalls.js';
import type * as bsd from './bsd_server.js';

/** The directory vnode of descriptor `fd`, if it holds `rights`. */
function dir(r: Request, fd: number, rights: number): Vnode {
  return r.proc.fds.need(fd, rights).file.vnode;
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

/** Open as openat does, relative to a descriptor of `fds`: the new descriptor, not yet installed. */
export function openAt(fds: FdTable, a: bsd.OpenatIn): Descriptor {
  const { oflags, fdflags } = a;
  const rights = rightsArg(a.rights);
  const inheriting = rightsArg(a.inheriting);
  if (oflags & ~OFLAGS_ALL || fdflags & ~FDFLAGS_ALL) throw new VfsError(EINVAL);
  const creat = (oflags & OFLAGS.creat) !== 0;
  const trunc = (oflags & OFLAGS.trunc) !== 0;
  const d = fds.need(a.dirfd, RIGHT.pathOpen | (creat ? RIGHT.pathCreateFile : 0) | (trunc ? RIGHT.pathFilestatSetSize : 0));
  checkWithin(rights, inheriting, d.inheriting, d.inheriting);
  const v = ops.openPath(d.file.vnode, a.path, {
    follow: follows(a.lookupflags),
    creat,
    excl: (oflags & OFLAGS.excl) !== 0,
    trunc,
    directory: (oflags & OFLAGS.directory) !== 0,
    write: (rights & RIGHT.fdWrite) !== 0,
  });
  return { file: new OpenFile(v, fdflags), rights: rights & rightsFor(v), inheriting };
}

export function sysOpenat(r: Request, a: bsd.OpenatIn): bsd.OpenatOut {
  return { fd: r.proc.fds.install(openAt(r.proc.fds, a)) };
}

export function sysMkdirat(r: Request, a: bsd.MkdiratIn): void {
  ops.mkdirPath(dir(r, a.dirfd, RIGHT.pathCreateDirectory), a.path);
}

export function sysUnlinkat(r: Request, a: bsd.UnlinkatIn): void {
  if (a.flags & ~AT_REMOVEDIR) throw new VfsError(EINVAL);
  if (a.flags & AT_REMOVEDIR) ops.rmdirPath(dir(r, a.dirfd, RIGHT.pathRemoveDirectory), a.path);
  else ops.unlinkPath(dir(r, a.dirfd, RIGHT.pathUnlinkFile), a.path);
}

export function sysRenameat(r: Request, a: bsd.RenameatIn): void {
  ops.renamePath(dir(r, a.fromfd, RIGHT.pathRenameSource), a.from, dir(r, a.tofd, RIGHT.pathRenameTarget), a.to);
}

export function sysLinkat(r: Request, a: bsd.LinkatIn): void {
  ops.linkPath(dir(r, a.fromfd, RIGHT.pathLinkSource), a.from, follows(a.lookupflags), dir(r, a.tofd, RIGHT.pathLinkTarget), a.to);
}

/**
 * A program cannot make a symlink with an absolute target (as under wasmtime and uvwasi): no
 * lookup of its own would follow it, and on a host mount a host program would, to the host's
 * root. The errno is that of every escape.
 */
export function sysSymlinkat(r: Request, a: bsd.SymlinkatIn): void {
  const at = dir(r, a.dirfd, RIGHT.pathSymlink);
  if (a.target.startsWith('/')) throw new VfsError(EESCAPE, 'absolute symlink target');
  ops.symlinkPath(a.target, at, a.path);
}

/** The target into its room, cut to the room's size (as readlink does); returns the bytes written. */
export function sysReadlinkat(r: Request, a: bsd.ReadlinkatIn): bsd.ReadlinkatOut {
  const target = new TextEncoder().encode(ops.readlinkPath(dir(r, a.dirfd, RIGHT.pathReadlink), a.path));
  const n = Math.min(a.target.length, target.length);
  a.target.set(target.subarray(0, n));
  return { target: n };
}

export function sysFstatat(r: Request, a: bsd.FstatatIn): bsd.FstatatOut {
  return statOut(ops.statPath(dir(r, a.dirfd, RIGHT.pathFilestatGet), a.path, follows(a.lookupflags)));
}

export function sysUtimensat(r: Request, a: bsd.UtimensatIn): void {
  const times = timesFrom(a.atim, a.mtim, a.fstflags);
  ops.setTimesPath(dir(r, a.dirfd, RIGHT.pathFilestatSetTimes), a.path, follows(a.lookupflags), ...times);
}
