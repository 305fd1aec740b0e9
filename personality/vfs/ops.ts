// The path operations behind the WASI path_* calls: each resolves its path(s) with namei.ts and calls
// Vnode methods, adding the errors Linux gives for '.', '..', trailing slashes and open flags (checked on
// Linux 6.x and against wasmtime's preview1 tests). They work on Vnodes only: rights, descriptors and
// open-file state (offsets, O_APPEND) belong to the callers.
import { EBUSY, EEXIST, EINVAL, EISDIR, ELOOP, ENOENT, ENOTDIR, ENOTEMPTY, ENOTSUP, EROFS } from '../../abi/errno.js';
import { FILETYPE } from '../../abi/wasi.js';
import { checkPathString, isDots, namei, nameiLast, nameiParent } from './namei.js';
import { TmpDir } from './tmpfs.js';
import { VfsError, type Stat, type TimeSet, type Vnode } from './vnode.js';

export interface OpenOptions {
  /** Follow a symlink in the last component (WASI lookupflags.symlink_follow). */
  follow: boolean;
  creat: boolean;
  excl: boolean;
  trunc: boolean;
  directory: boolean;
  /** The description will be written (fd_write right, or O_WRONLY/O_RDWR). */
  write: boolean;
}

interface Parent {
  dir: Vnode;
  name: string;
  trailingSlash: boolean;
}

function isDir(node: Vnode): boolean {
  return node.filetype === FILETYPE.directory;
}

function exists(dir: Vnode, name: string): boolean {
  try {
    dir.lookup(name);
    return true;
  } catch (e) {
    if (e instanceof VfsError && e.errno === ENOENT) return false;
    throw e;
  }
}

/**
 * The parent of a name to be created by link or symlink: '.' or '..' exist (EEXIST), and a trailing slash
 * asks for a directory these cannot make (EEXIST if the name exists, else ENOENT, as Linux's filename_create).
 */
function parentForNew(start: Vnode, path: string): Parent {
  const parent = nameiParent(start, path);
  if (isDots(parent.name)) throw new VfsError(EEXIST);
  if (parent.trailingSlash) throw new VfsError(exists(parent.dir, parent.name) ? EEXIST : ENOENT);
  return parent;
}

/** Open (and with `creat`, create) the node `path` names; truncates a regular file if `trunc`. */
export function openPath(start: Vnode, path: string, o: OpenOptions): Vnode {
  if (o.creat && o.directory) throw new VfsError(EINVAL, 'O_CREAT with O_DIRECTORY'); // Linux >= 6.4
  const node = o.creat ? openOrCreate(start, path, o) : namei(start, path, o.follow);
  checkOpen(node, o);
  if (o.trunc && node.filetype === FILETYPE.regularFile) node.setSize(0);
  return node;
}

/** O_CREAT: create the last name (through a dangling symlink when following), or open what is there. */
function openOrCreate(start: Vnode, path: string, o: OpenOptions): Vnode {
  const entry = nameiLast(start, path, o.follow && !o.excl);
  if (entry.trailingSlash) throw new VfsError(EISDIR, 'O_CREAT with a trailing slash');
  if (entry.node === null) return entry.dir.create(entry.name, o.excl);
  if (o.excl) throw new VfsError(EEXIST);
  return entry.node;
}

/** Whether an existing node may be opened so (Linux's do_open and may_open, in their order). */
function checkOpen(node: Vnode, o: OpenOptions): void {
  if (isDir(node)) {
    if (o.creat || o.write || o.trunc) throw new VfsError(EISDIR);
  } else if (o.directory) {
    throw new VfsError(ENOTDIR);
  }
  // A final symlink reached without following: O_NOFOLLOW's ELOOP (wasmtime's nofollow_errors test).
  if (node.filetype === FILETYPE.symbolicLink) throw new VfsError(ELOOP);
  const writes = o.write || o.trunc;
  if (writes && node.filetype === FILETYPE.regularFile && node.mount.readOnly) throw new VfsError(EROFS);
}

export function mkdirPath(start: Vnode, path: string): void {
  const { dir, name } = nameiParent(start, path);
  if (isDots(name)) throw new VfsError(EEXIST);
  dir.mkdir(name);
}

export function rmdirPath(start: Vnode, path: string): void {
  const { dir, name } = nameiParent(start, path);
  if (name === '.') throw new VfsError(EINVAL, "rmdir of '.'");
  if (name === '..') throw new VfsError(ENOTEMPTY, "rmdir of '..'");
  dir.rmdir(name);
}

export function unlinkPath(start: Vnode, path: string): void {
  const { dir, name, trailingSlash } = nameiParent(start, path);
  if (isDots(name)) throw new VfsError(EISDIR);
  // With a trailing slash the (unfollowed) entry is never removable: EISDIR for a directory, else ENOTDIR.
  if (trailingSlash) throw new VfsError(isDir(dir.lookup(name)) ? EISDIR : ENOTDIR);
  dir.unlink(name);
}

export function renamePath(fromDir: Vnode, fromPath: string, toDir: Vnode, toPath: string): void {
  const from = nameiParent(fromDir, fromPath);
  const to = nameiParent(toDir, toPath);
  if (isDots(from.name) || isDots(to.name)) throw new VfsError(EBUSY, "rename of '.' or '..'");
  if ((from.trailingSlash || to.trailingSlash) && !isDir(from.dir.lookup(from.name))) {
    throw new VfsError(ENOTDIR, 'trailing slash on a non-directory');
  }
  from.dir.rename(from.name, to.dir, to.name);
}

/**
 * A hard link at `toPath` to what `fromPath` names, following a final symlink if `follow` (POSIX linkat
 * AT_SYMLINK_FOLLOW; wasmtime instead refuses that flag with EINVAL: the caller may do so).
 */
export function linkPath(fromDir: Vnode, fromPath: string, follow: boolean, toDir: Vnode, toPath: string): void {
  const target = namei(fromDir, fromPath, follow);
  const to = parentForNew(toDir, toPath);
  to.dir.link(to.name, target);
}

/** A symlink at `path` holding `target` verbatim (empty: ENOENT, NUL: EINVAL, as for paths). */
export function symlinkPath(target: string, dir: Vnode, path: string): void {
  checkPathString(target);
  const to = parentForNew(dir, path);
  to.dir.symlink(to.name, target);
}

export function readlinkPath(dir: Vnode, path: string): string {
  return namei(dir, path, false).readlink();
}

export function statPath(dir: Vnode, path: string, follow: boolean): Stat {
  return namei(dir, path, follow).stat();
}

export function setTimesPath(dir: Vnode, path: string, follow: boolean, atim: TimeSet, mtim: TimeSet): void {
  namei(dir, path, follow).setTimes(atim, mtim);
}

/**
 * Mount `node` (another file system's root) on the directory `path` names in a tmpfs tree, making the
 * directory if absent. ENOTSUP when the parent is not a tmpfs directory.
 */
/** Cover the directory at `path` with `node`; returns the function that uncovers it. */
export function mountAt(root: Vnode, path: string, node: Vnode): () => void {
  const { dir, name } = nameiParent(root, path);
  if (isDots(name)) throw new VfsError(EBUSY);
  if (!(dir instanceof TmpDir)) throw new VfsError(ENOTSUP, 'mount point outside tmpfs');
  dir.mountOn(name, node);
  return () => dir.unmount(name);
}

