// A host directory mounted into the personality server's VFS (`webmach run --dir host::guest`), served
// with synchronous node:fs calls; host errors become VfsError with the WASI errno. Linux only (it needs
// /proc/self/fd).
//
// The sandbox: every directory Vnode works through an open host descriptor of that directory (O_PATH, so
// no read permission is needed), and reaches a child only as `/proc/self/fd/<dirfd>/<name>`: one checked
// component under a magic link that resolves to the directory object itself, not to a path, so a rename
// or a symlink swapped in above it cannot redirect it (cap-std and wasmtime hold directory handles the
// same way). No symlink is ever followed at that component: lookup lstats the name, and a directory is
// entered by opening the name with O_PATH|O_DIRECTORY|O_NOFOLLOW and checking that descriptor is the object
// lstat saw (dev, ino and birth time; ESTALE if it changed in between), so what is used is what was
// checked; files open with O_NOFOLLOW, times of a non-directory are set with lutimes, link() does not
// follow, rename and unlink act on names. '..' never reaches the host (namei walks it on its own stack),
// so a directory moved outside the mount keeps working as a handle, as under wasmtime, but nothing above
// it is reached. Non-directories are (directory, name): a regular file holds its own descriptor while
// retained. A hard link the host made to a file outside is outside webmach's reach to tell apart.
//
// Descriptor lifetime: a directory's descriptor is pinned while the Vnode is retained (an open
// descriptor of a process, and the mount's root always); the ones path walks make (namei never releases
// what it looks up) sit in a bounded LRU (one for all mounts) and are closed when evicted; while open, a parent
// finds them again by name with one lstat instead of opening anew. An evicted directory is re-opened
// through its parent (the same way, one component, recursively up to a pinned one) and must be the same
// object again, else ESTALE. A descriptor is never closed while a path naming it is still to be used: an
// operation that names two directories pins the first while it reaches the second (another thread of
// this process could otherwise be given the number and redirect the path).
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  E2BIG, EACCES, EAGAIN, EBADF, EBUSY, EEXIST, EFBIG, EINTR, EINVAL, EIO, EISDIR, ELOOP, EMFILE, EMLINK,
  ENAMETOOLONG, ENODEV, ENOENT, ENOMEM, ENOSPC, ENOSYS, ENOTDIR, ENOTEMPTY, ENOTSUP, ENXIO, EOVERFLOW, EPERM,
  EROFS, ESPIPE, EXDEV, ENFILE, EDQUOT, ETXTBSY, ESTALE,
} from '../../abi/errno.js';
import { FILETYPE } from '../../abi/wasi.js';
import {
  BaseVnode, nowNs, VfsError, type Appended, type DirEntry, type Mount, type Stat, type TimeSet, type Vnode,
} from '../../personality/vfs/vnode.js';
import type { PageCache } from '../../personality/vm/page_cache.js';
import type { Window } from '../../personality/vm/vm_window.js';
import { CachedFile, WRITE_BACK_MS } from './hostfs_cache.js';

/** Node's error codes as WASI errnos; anything else is EIO. */
const HOST_ERRNO: Readonly<Record<string, number>> = {
  E2BIG, EACCES, EAGAIN, EWOULDBLOCK: EAGAIN, EBADF, EBUSY, EEXIST, EFBIG, EINTR, EINVAL, EIO, EISDIR, ELOOP,
  EMFILE, EMLINK, ENAMETOOLONG, ENODEV, ENOENT, ENOMEM, ENOSPC, ENOSYS, ENOTDIR, ENOTEMPTY, ENOTSUP,
  EOPNOTSUPP: ENOTSUP, ENXIO, EOVERFLOW, EPERM, EROFS, ESPIPE, EXDEV,
  ENFILE, EDQUOT, ETXTBSY, ESTALE,
  // Node's own argument checks: a position out of range, a NUL byte in a path.
  ERR_OUT_OF_RANGE: EINVAL, ERR_INVALID_ARG_VALUE: EINVAL,
};

function hostErrno(err: unknown): number {
  const code = typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;
  return (typeof code === 'string' && HOST_ERRNO[code]) || EIO;
}

/** Run one host call; a host error becomes the VfsError with its WASI errno. */
function host<T>(call: () => T): T {
  try {
    return call();
  } catch (err) {
    if (err instanceof VfsError) throw err;
    throw new VfsError(hostErrno(err), err instanceof Error ? err.message : String(err));
  }
}

/** Close, dropping errors: the descriptor is gone either way and the callers have no error to give. */
function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // See above.
  }
}

const { O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_EXCL, O_APPEND, O_DIRECTORY, O_NOFOLLOW } = fs.constants;
/** Linux's O_PATH: a handle that names an object without opening it for I/O (node:fs does not export it). */
const O_PATH = 0o10000000;
/** Added to every open: never follow a symlink, never block (on a FIFO that replaced a file). */
const O_SAFE = O_NOFOLLOW | (fs.constants.O_NONBLOCK ?? 0);
/** How a directory is entered: never through a symlink, no read permission needed. */
const O_DIR_HANDLE = O_PATH | O_DIRECTORY | O_NOFOLLOW;
/** Where a descriptor's directory is reached from, and where its offset is read (pos:). */
const PROC_FD = '/proc/self/fd';
const PROC_FDINFO = '/proc/self/fdinfo';
/** Directory descriptors of path walks kept open (beyond the pinned ones), for all mounts together. */
export const HANDLE_CACHE = 64;

type Access = 'read' | 'write';
/** A host descriptor a retained file keeps, and what it may do. */
interface Held {
  fd: number;
  read: boolean;
  write: boolean;
}
const OPEN_MODES: readonly Omit<Held, 'fd'>[] = [
  { read: true, write: true },
  { read: true, write: false },
  { read: false, write: true },
];
const openFlags = (mode: Omit<Held, 'fd'>) => (mode.read ? (mode.write ? O_RDWR : O_RDONLY) : O_WRONLY) | O_SAFE;

/** The best descriptor the host allows for `p` (read-write, else read-only, else write-only), if any. */
function openBest(p: string, readOnly: boolean): Held | undefined {
  for (const mode of OPEN_MODES) {
    if (readOnly && mode.write) continue;
    try {
      return { fd: fs.openSync(p, openFlags(mode)), ...mode };
    } catch {
      // Try the next mode; an operation without a held descriptor opens its own and reports the error.
    }
  }
  return undefined;
}

function filetypeOf(st: fs.BigIntStats): number {
  if (st.isFile()) return FILETYPE.regularFile;
  if (st.isDirectory()) return FILETYPE.directory;
  if (st.isSymbolicLink()) return FILETYPE.symbolicLink;
  if (st.isCharacterDevice()) return FILETYPE.characterDevice;
  if (st.isBlockDevice()) return FILETYPE.blockDevice;
  if (st.isSocket()) return FILETYPE.socketStream;
  return FILETYPE.unknown; // FIFOs
}

const lstat = (p: string) => host(() => fs.lstatSync(p, { bigint: true }));
const fstat = (fd: number) => host(() => fs.fstatSync(fd, { bigint: true }));

/** The offset of `fd` (after an O_APPEND write: the end of what it wrote), which node:fs cannot lseek. */
function offsetOf(fd: number): number {
  const info = host(() => fs.readFileSync(`${PROC_FDINFO}/${fd}`, 'latin1'));
  const pos = /^pos:\s*(\d+)/m.exec(info);
  if (!pos) throw new VfsError(EIO, `no pos: in ${PROC_FDINFO}/${fd}`);
  return Number(pos[1]);
}

/**
 * A time for utimes: seconds as a number. libuv truncates to microseconds, so the number is the
 * microsecond plus half of one, which a double's rounding (~240 ns now) cannot push across a boundary:
 * the host keeps exactly `ns` truncated to microseconds. Node turns a negative number into "now", so a
 * time before the epoch goes as a Date (millisecond precision).
 */
function hostTime(ns: bigint): number | Date {
  if (ns < 0n) return new Date(Number(ns / 1_000_000n));
  const us = ns / 1000n;
  return Number(us / 1_000_000n) + (Number(us % 1_000_000n) + 0.5) / 1e6;
}

/** A name that must never reach the host: empty, '.', '..', or one with a separator or NUL in it. */
function checkName(name: string): void {
  if (name === '' || name === '.' || name === '..' || /[/\0]/.test(name) || name.includes(path.sep)) {
    throw new VfsError(EINVAL, `not a single path component: ${JSON.stringify(name)}`);
  }
}

/** Unpinned directory descriptors, least recently used first; past the limit they close. */
export class HandleCache {
  private readonly open = new Set<HostDir>();

  constructor(private readonly limit: number) {}

  /** `dir` holds a descriptor and was just used. */
  used(dir: HostDir): void {
    this.open.delete(dir);
    this.open.add(dir);
    for (const oldest of this.open) {
      if (this.open.size <= this.limit) break;
      this.open.delete(oldest);
      oldest.closeHandle();
    }
  }

  /** `dir` is pinned (or closed): not the cache's to close. */
  forget(dir: HostDir): void {
    this.open.delete(dir);
  }
}

const SHARED_HANDLES = new HandleCache(HANDLE_CACHE);

export class HostMount implements Mount {
  /** The host directory, absolute with symlinks resolved. */
  readonly hostPath: string;
  readonly root: HostDir;
  readonly handles: HandleCache;
  /** The open host files' data in the page cache, by host device and inode (hostfs_cache.ts). */
  private cachedFiles = new Map<string, CachedFile>();
  private writeBacks: ReturnType<typeof setInterval> | undefined;

  /**
   * `handles`: where walk descriptors are kept; by default one cache for every mount, so a long-lived
   * machine that mounts again and again holds at most HANDLE_CACHE of them, plus one root per mount.
   */
  constructor(hostPath: string, readonly readOnly: boolean, readonly dev: bigint, handles = SHARED_HANDLES, readonly cache?: PageCache) {
    if (!fs.existsSync(PROC_FD)) throw new Error(`host directories need ${PROC_FD} (Linux)`);
    this.hostPath = HostMount.directory(hostPath);
    this.handles = handles;
    const fd = fs.openSync(this.hostPath, O_PATH | O_DIRECTORY);
    this.root = new HostDir(this, undefined, '', fd, fs.fstatSync(fd, { bigint: true }));
    this.root.retain(); // the mount's root stays open as long as the mount
  }

  /** The cache of the host file `held` is open on: made at its first open, with a descriptor of its own; none without a page cache, or when the file cannot be read. */
  cachedFile(held: Held): CachedFile | undefined {
    if (this.cache === undefined || !held.read) return undefined;
    const key = hostKey(fstat(held.fd));
    let file = this.cachedFiles.get(key);
    if (file === undefined) {
      const fd = host(() => fs.openSync(`${PROC_FD}/${held.fd}`, held.write ? O_RDWR : O_RDONLY)); // the magic link to this very file
      this.cachedFiles.set(key, (file = new CachedFile(this.cache, key, fd, held.write, host)));
      this.writeBacks ??= setInterval(() => this.writeBackAll(), WRITE_BACK_MS);
      this.writeBacks.unref?.();
    }
    file.opens++;
    return file;
  }

  /** One open of `file` fewer; the last writes it back and lets its pages go. */
  uncache(file: CachedFile): void {
    if (--file.opens > 0) return;
    this.cachedFiles.delete(file.key);
    if (this.cachedFiles.size === 0) {
      clearInterval(this.writeBacks);
      this.writeBacks = undefined;
    }
    file.close();
  }

  /** Some host file is open with its data in the cache. */
  get caching(): boolean {
    return this.cachedFiles.size > 0;
  }

  /** The cache of the host file `st` describes, if it is open. */
  findCached(st: fs.BigIntStats): CachedFile | undefined {
    return this.caching ? this.cachedFiles.get(hostKey(st)) : undefined;
  }

  /** The timer's write-back (an error shows at the file's next fsync or close). */
  private writeBackAll(): void {
    for (const file of this.cachedFiles.values()) {
      try {
        file.writeBack();
      } catch {
        // See above.
      }
    }
  }

  private static directory(hostPath: string): string {
    let real: string;
    try {
      real = fs.realpathSync(path.resolve(hostPath));
    } catch (err) {
      const why = hostErrno(err) === ENOENT ? 'does not exist' : `cannot be used (${String(err)})`;
      throw new Error(`host directory ${hostPath} ${why}`);
    }
    if (!fs.statSync(real).isDirectory()) throw new Error(`host directory ${hostPath} is not a directory`);
    return real;
  }

  /** EROFS on a read-only mount: every mutating operation calls this first. */
  checkWritable(): void {
    if (this.readOnly) throw new VfsError(EROFS);
  }
}

/** A host file's identity: its device and inode. */
function hostKey(st: fs.BigIntStats): string {
  return `${st.dev}:${st.ino}`;
}

function statOf(mount: HostMount, st: fs.BigIntStats): Stat {
  return {
    dev: mount.dev,
    ino: st.ino,
    filetype: filetypeOf(st),
    nlink: st.nlink,
    size: st.size,
    atim: st.atimeNs,
    mtim: st.mtimeNs,
    ctim: st.ctimeNs,
  };
}

/** Any object of a host mount: stat and set times through hostStat / hostSetTimes. */
abstract class HostVnode extends BaseVnode {
  abstract override readonly mount: HostMount;

  stat(): Stat {
    return statOf(this.mount, this.hostStat());
  }

  protected abstract hostStat(): fs.BigIntStats;
  protected abstract hostSetTimes(atime: number | Date, mtime: number | Date): void;

  /** Kept to microseconds (see hostTime); a time left unchanged is rewritten at that precision too. */
  setTimes(atim: TimeSet, mtim: TimeSet): void {
    this.mount.checkWritable();
    if (atim === undefined && mtim === undefined) return;
    const now = nowNs();
    const current = atim === undefined || mtim === undefined ? this.stat() : undefined;
    const pick = (t: TimeSet, old: bigint | undefined) => (t === 'now' ? now : (t ?? old ?? now));
    host(() => this.hostSetTimes(hostTime(pick(atim, current?.atim)), hostTime(pick(mtim, current?.mtim))));
  }
}

/** A non-directory: the name `name` in the directory `dir` (whatever is there now). */
abstract class HostEntry extends HostVnode {
  constructor(readonly mount: HostMount, readonly dir: HostDir, readonly name: string) {
    super();
  }

  /** The host path of the entry: one component under its directory's handle. */
  protected get at(): string {
    return this.dir.child(this.name);
  }

  protected hostStat(): fs.BigIntStats {
    return lstat(this.at);
  }

  /** lutimes: the times of this object, a symlink's own ones included. */
  protected hostSetTimes(atime: number | Date, mtime: number | Date): void {
    fs.lutimesSync(this.at, atime, mtime);
  }
}

/** A host object the guest can only stat: devices, sockets, FIFOs (opening a FIFO would block the server). */
class HostOther extends HostEntry {
  constructor(mount: HostMount, dir: HostDir, name: string, readonly filetype: number) {
    super(mount, dir, name);
  }
}

class HostSymlink extends HostEntry {
  readonly filetype = FILETYPE.symbolicLink;

  override readlink(): string {
    return host(() => fs.readlinkSync(this.at));
  }
}

/**
 * A regular file: a descriptor is held while retained (and one opened with O_APPEND once it appends),
 * else each call opens and closes its own; a retained file the host lets us not open pins its directory.
 */
class HostFile extends HostEntry {
  readonly filetype = FILETYPE.regularFile;
  private refs = 0;
  private held: Held | undefined;
  private appender: number | undefined;
  private pinnedDir = false;
  /** While retained with a held descriptor: its data in the page cache. */
  private cached: CachedFile | undefined;

  override retain(): void {
    if (this.refs === 0) {
      this.held = openBest(this.at, this.mount.readOnly);
      if (!this.held) this.dir.retain();
      this.pinnedDir = !this.held;
      this.cached = this.held && this.mount.cachedFile(this.held);
    }
    this.refs++;
  }

  override release(): void {
    if (this.refs === 0 || --this.refs > 0) return;
    const cached = this.cached;
    this.cached = undefined;
    try {
      if (cached) this.mount.uncache(cached);
    } finally {
      this.closeHeld();
    }
  }

  private closeHeld(): void {
    if (this.held) closeQuietly(this.held.fd);
    if (this.appender !== undefined) closeQuietly(this.appender);
    if (this.pinnedDir) this.dir.release();
    this.held = this.appender = undefined;
    this.pinnedDir = false;
  }

  override read(offset: number, into: Uint8Array): number {
    if (this.cached) return this.cached.read(offset, into);
    return this.withFd('read', (fd) => fs.readSync(fd, into, 0, into.length, offset));
  }

  override write(offset: number, from: Uint8Array): number {
    this.mount.checkWritable();
    if (this.cached?.writable) return this.cached.write(offset, from);
    return this.withFd('write', (fd) => fs.writeSync(fd, from, 0, from.length, offset));
  }

  window(fdflags: number): Window | undefined {
    return this.cached?.window(fdflags);
  }

  /** While the file is open its size and modification time are the cache's (dirty data not yet on the host). */
  override stat(): Stat {
    const st = this.hostStat();
    const s = statOf(this.mount, st);
    const cached = this.cached ?? this.mount.findCached(st);
    return cached ? cached.stat(s) : s;
  }

  /** Times set stay set: what the cache holds goes back first. */
  override setTimes(atim: TimeSet, mtim: TimeSet): void {
    this.live()?.writeBack();
    super.setTimes(atim, mtim);
  }

  /** The cache of this host file, if it is open here or under another name. */
  private live(): CachedFile | undefined {
    return this.cached ?? (this.mount.caching ? this.mount.findCached(this.hostStat()) : undefined);
  }

  /** Through a descriptor opened with O_APPEND: the host puts the data at the end, whoever else writes. */
  override append(from: Uint8Array): Appended {
    this.mount.checkWritable();
    const write = (fd: number): Appended => {
      const written = fs.writeSync(fd, from, 0, from.length, null);
      return { written, end: offsetOf(fd) };
    };
    if (this.refs === 0) return host(() => this.withOpen(O_WRONLY | O_APPEND, write));
    const fd = (this.appender ??= host(() => this.openAppender()));
    return this.cached ? this.cached.append(() => host(() => write(fd))) : host(() => write(fd));
  }

  /** O_APPEND through the held descriptor's magic link (this very file, even renamed or unlinked), else by name. */
  private openAppender(): number {
    const held = this.held;
    return held ? fs.openSync(`${PROC_FD}/${held.fd}`, O_WRONLY | O_APPEND) : fs.openSync(this.at, O_WRONLY | O_APPEND | O_SAFE);
  }

  override setSize(size: number): void {
    this.mount.checkWritable();
    const cached = this.live();
    if (cached?.writable) return cached.setSize(size);
    this.withFd('write', (fd) => fs.ftruncateSync(fd, size));
  }

  override sync(): void {
    if (this.cached) return this.cached.sync();
    const held = this.held;
    if (held) host(() => fs.fsyncSync(held.fd));
  }

  /** A held descriptor reaches the file even after a rename or unlink of its name. */
  protected override hostStat(): fs.BigIntStats {
    const held = this.held;
    return held ? fstat(held.fd) : super.hostStat();
  }

  protected override hostSetTimes(atime: number | Date, mtime: number | Date): void {
    if (this.held) fs.futimesSync(this.held.fd, atime, mtime);
    else super.hostSetTimes(atime, mtime);
  }

  /** Call `use` with the held descriptor if it allows `access`, else with one opened for this call. */
  private withFd<T>(access: Access, use: (fd: number) => T): T {
    const held = this.held;
    if (held?.[access]) return host(() => use(held.fd));
    return host(() => this.withOpen(openFlags({ read: access === 'read', write: access === 'write' }), use));
  }

  private withOpen<T>(flags: number, use: (fd: number) => T): T {
    const fd = fs.openSync(this.at, flags | O_SAFE);
    try {
      return use(fd);
    } finally {
      fs.closeSync(fd);
    }
  }
}

/** The Vnode for the non-directory `st` describes, named `name` in `dir`. */
function entryAt(dir: HostDir, name: string, st: fs.BigIntStats): HostEntry {
  const filetype = filetypeOf(st);
  if (filetype === FILETYPE.regularFile) return new HostFile(dir.mount, dir, name);
  if (filetype === FILETYPE.symbolicLink) return new HostSymlink(dir.mount, dir, name);
  return new HostOther(dir.mount, dir, name, filetype);
}

/** A directory, through its own host descriptor (see the header); `parent` is how it is re-opened. */
export class HostDir extends HostVnode {
  readonly filetype = FILETYPE.directory;
  private fd: number | undefined;
  private pins = 0;
  /** The host object this vnode names. */
  private readonly hostDev: bigint;
  readonly ino: bigint;
  /** Birth time: inode numbers are reused at once (rmdir, then mkdir), so (dev, ino) alone is not the object. */
  private readonly birth: bigint;
  /** Subdirectories looked up here whose descriptors are open, by name (found again with one lstat). */
  private readonly children = new Map<string, HostDir>();
  /** Names covered by another file system's root (devfs at /dev when this mount is the guest's /). */
  private covers: Map<string, Vnode> | undefined;

  constructor(readonly mount: HostMount, readonly parent: HostDir | undefined, readonly name: string, fd: number, st: fs.BigIntStats) {
    super();
    this.hostDev = st.dev;
    this.ino = st.ino;
    this.birth = st.birthtimeNs;
    this.fd = fd;
    mount.handles.used(this);
  }

  /** `/proc/self/fd/<fd>/<name>`: `name` in this very directory, wherever it is now. */
  child(name: string): string {
    checkName(name);
    return `${this.handlePath()}/${name}`;
  }

  private handlePath(): string {
    return `${PROC_FD}/${this.handle()}`;
  }

  /** This directory's descriptor, re-opened through the parent if the cache closed it. */
  private handle(): number {
    const fd = this.fd ?? this.reopen();
    this.fd = fd;
    if (this.pins === 0) this.mount.handles.used(this);
    return fd;
  }

  /** One component through the parent's handle, never following a symlink; ESTALE if another object is there now. */
  private reopen(): number {
    const parent = this.parent;
    if (!parent) throw new VfsError(ESTALE, 'mount root closed');
    const fd = host(() => fs.openSync(parent.child(this.name), O_DIR_HANDLE));
    if (!this.is(fstat(fd))) {
      closeQuietly(fd);
      throw new VfsError(ESTALE, `${this.name} is another directory now`);
    }
    parent.children.set(this.name, this);
    return fd;
  }

  /** Whether `st` describes the object this vnode names. */
  private is(st: fs.BigIntStats): boolean {
    return st.dev === this.hostDev && st.ino === this.ino && st.birthtimeNs === this.birth;
  }

  /** The cache evicted this directory: close its descriptor (reopened on next use). */
  closeHandle(): void {
    if (this.fd !== undefined) closeQuietly(this.fd);
    this.fd = undefined;
    if (this.parent?.children.get(this.name) === this) this.parent.children.delete(this.name);
  }

  /** Pinned: the descriptor stays open until the last release. */
  override retain(): void {
    this.handle();
    if (this.pins++ === 0) this.mount.handles.forget(this);
  }

  override release(): void {
    if (this.pins === 0 || --this.pins > 0) return;
    if (this.fd !== undefined) this.mount.handles.used(this);
  }

  /** Cover `name` with `root`, another file system's root (as tmpfs covers a mount point). */
  mountOn(name: string, root: Vnode): void {
    checkName(name);
    this.covers ??= new Map();
    if (this.covers.has(name)) throw new VfsError(EBUSY);
    this.covers.set(name, root);
  }

  protected hostStat(): fs.BigIntStats {
    return fstat(this.handle());
  }

  /** utimes through the magic link, which resolves to this directory (an O_PATH descriptor cannot futimes). */
  protected hostSetTimes(atime: number | Date, mtime: number | Date): void {
    fs.utimesSync(this.handlePath(), atime, mtime);
  }

  /**
   * One lstat of the name; a directory is entered by opening that name (O_PATH, never following) and
   * checking it is the object lstat saw, or found again among the open children when it still is one.
   */
  override lookup(name: string): Vnode {
    const covered = this.covers?.get(name);
    if (covered) return covered;
    const st = lstat(this.child(name));
    if (!st.isDirectory()) return entryAt(this, name, st);
    const known = this.children.get(name);
    if (known?.is(st) && st.birthtimeNs !== 0n) {
      known.handle(); // most recently used
      return known;
    }
    return this.enter(name, st);
  }

  /** The subdirectory `name`, which lstat saw as `st`: ESTALE if something else is there by the time it is opened. */
  private enter(name: string, st: fs.BigIntStats): HostDir {
    const fd = host(() => fs.openSync(this.child(name), O_DIR_HANDLE));
    let now: fs.BigIntStats;
    try {
      now = fstat(fd);
    } catch (err) {
      closeQuietly(fd);
      throw err;
    }
    const dir = new HostDir(this.mount, this, name, fd, now);
    if (!dir.is(st)) {
      dir.closeHandle();
      this.mount.handles.forget(dir);
      throw new VfsError(ESTALE, `${name} changed while it was looked up`);
    }
    this.children.set(name, dir);
    return dir;
  }

  override create(name: string, exclusive: boolean): Vnode {
    this.mount.checkWritable();
    if (!exclusive) {
      const existing = this.lookupIfExists(name);
      if (existing) return existing;
    } else if (this.covers?.has(name)) {
      throw new VfsError(EEXIST);
    }
    host(() => fs.closeSync(fs.openSync(this.child(name), O_CREAT | O_EXCL | O_WRONLY | O_SAFE, 0o666)));
    return new HostFile(this.mount, this, name);
  }

  override mkdir(name: string): void {
    this.make(name, (p) => fs.mkdirSync(p, 0o777));
  }

  override symlink(name: string, target: string): void {
    this.make(name, (p) => fs.symlinkSync(target, p));
  }

  /** link() of the target's name in its own directory (never followed); that directory stays open meanwhile. */
  override link(name: string, target: Vnode): void {
    this.mount.checkWritable();
    const from = this.sameMount(target);
    if (!(from instanceof HostEntry)) throw new VfsError(EPERM, 'hard link to a directory');
    this.whilePinned(from.dir, () => {
      const source = from.dir.child(from.name);
      this.make(name, (p) => fs.linkSync(source, p));
    });
  }

  override unlink(name: string): void {
    this.change(name, (p) => {
      try {
        fs.unlinkSync(p);
      } catch (err) {
        // macOS says EPERM for a directory where Linux and POSIX.1-2008 say EISDIR.
        if (hostErrno(err) === EPERM && fs.lstatSync(p).isDirectory()) throw new VfsError(EISDIR);
        throw err;
      }
    });
  }

  override rmdir(name: string): void {
    this.change(name, (p) => fs.rmdirSync(p));
  }

  override rename(name: string, toDir: Vnode, toName: string): void {
    this.mount.checkWritable();
    const dir = this.sameMount(toDir);
    if (!(dir instanceof HostDir)) throw new VfsError(ENOTDIR);
    if (this.covers?.has(name) || dir.covers?.has(toName)) throw new VfsError(EBUSY);
    this.whilePinned(this, () => {
      const from = this.child(name);
      const to = dir.child(toName);
      host(() => fs.renameSync(from, to));
    });
  }

  override entries(): DirEntry[] {
    const type = FILETYPE.directory;
    const self = this.hostStat().ino;
    const at = this.handlePath();
    const named = host(() => fs.readdirSync(at)).flatMap((name) => this.entry(at, name));
    const covering = [...(this.covers ?? [])].map(([name, node]) => ({ name, ino: node.stat().ino, filetype: node.filetype }));
    return [{ name: '.', ino: self, filetype: type }, { name: '..', ino: this.parent?.ino ?? self, filetype: type }, ...named, ...covering];
  }

  /** The entry for `name` (none if covered: the covering root is listed instead, or if it went away since readdir). */
  private entry(at: string, name: string): DirEntry[] {
    if (this.covers?.has(name)) return [];
    const st = host(() => fs.lstatSync(`${at}/${name}`, { bigint: true, throwIfNoEntry: false }));
    return st ? [{ name, ino: st.ino, filetype: filetypeOf(st) }] : [];
  }

  /** A name a make-call (mkdir, symlink, link) adds: EEXIST if a covering root is there. */
  private make(name: string, call: (p: string) => void): void {
    if (this.covers?.has(name)) throw new VfsError(EEXIST);
    this.change(name, call);
  }

  /** A mutating call on `name`, with the read-only and covered-name checks and the error mapping. */
  private change(name: string, call: (p: string) => void): void {
    this.mount.checkWritable();
    if (this.covers?.has(name)) throw new VfsError(EBUSY);
    const p = this.child(name);
    host(() => call(p));
  }

  private lookupIfExists(name: string): Vnode | undefined {
    try {
      return this.lookup(name);
    } catch (e) {
      if (e instanceof VfsError && e.errno === ENOENT) return undefined;
      throw e;
    }
  }

  /** Run `call` with `dir`'s descriptor pinned, so reaching another directory cannot close it. */
  private whilePinned<T>(dir: HostDir, call: () => T): T {
    dir.retain();
    try {
      return call();
    } finally {
      dir.release();
    }
  }

  /** `node` as a vnode of this mount: EXDEV for anything else. */
  private sameMount(node: Vnode): HostVnode {
    if (!(node instanceof HostVnode) || node.mount !== this.mount) throw new VfsError(EXDEV);
    return node;
  }
}
