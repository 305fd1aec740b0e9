// A host directory mounted into the personality server's VFS (`webmach run --dir host::guest`): every
// Vnode is a host path served with synchronous node:fs calls, host errors become VfsError with the WASI
// errno. It never follows a host symlink (lookup and open use lstat / O_NOFOLLOW): resolving symlinks and
// keeping them inside the mount is namei's job. Vnodes are not unique per host object and cache nothing.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  E2BIG, EACCES, EAGAIN, EBADF, EBUSY, EEXIST, EFBIG, EINTR, EINVAL, EIO, EISDIR, ELOOP, EMFILE, EMLINK,
  ENAMETOOLONG, ENODEV, ENOENT, ENOMEM, ENOSPC, ENOSYS, ENOTDIR, ENOTEMPTY, ENOTSUP, ENXIO, EOVERFLOW, EPERM,
  EROFS, ESPIPE, EXDEV, ENFILE, EDQUOT, ETXTBSY, ESTALE,
} from '../../personality/interfaces/errno.js';
import { FILETYPE } from '../../personality/interfaces/wasi.js';
import { BaseVnode, nowNs, VfsError, type DirEntry, type Mount, type Stat, type TimeSet, type Vnode } from '../../personality/vfs/vnode.js';

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

const { O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_EXCL } = fs.constants;
/** Added to every open: never follow a symlink, never block (on a FIFO that replaced a file). */
const O_SAFE = (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0);

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

export class HostMount implements Mount {
  /** The host directory, absolute with symlinks resolved. */
  readonly hostPath: string;
  readonly root: Vnode;

  constructor(hostPath: string, readonly readOnly: boolean, readonly dev: bigint) {
    this.hostPath = HostMount.directory(hostPath);
    this.root = new HostDir(this, this.hostPath);
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

/** Any object of a host mount, at a host path (which goes stale if something above it is renamed). */
abstract class HostVnode extends BaseVnode {
  constructor(readonly mount: HostMount, readonly path: string) {
    super();
  }

  stat(): Stat {
    const st = this.hostStat();
    return {
      dev: this.mount.dev,
      ino: st.ino,
      filetype: filetypeOf(st),
      nlink: st.nlink,
      size: st.size,
      atim: st.atimeNs,
      mtim: st.mtimeNs,
      ctim: st.ctimeNs,
    };
  }

  protected hostStat(): fs.BigIntStats {
    return lstat(this.path);
  }

  /** Kept to microseconds (see hostTime); a time left unchanged is rewritten at that precision too. */
  setTimes(atim: TimeSet, mtim: TimeSet): void {
    this.mount.checkWritable();
    if (atim === undefined && mtim === undefined) return;
    const now = nowNs();
    const current = atim === undefined || mtim === undefined ? this.stat() : undefined;
    const pick = (t: TimeSet, old: bigint | undefined) => (t === 'now' ? now : (t ?? old ?? now));
    host(() => this.hostSetTimes(hostTime(pick(atim, current?.atim)), hostTime(pick(mtim, current?.mtim))));
  }

  /** lutimes: the times of this object, a symlink's own ones included. */
  protected hostSetTimes(atime: number | Date, mtime: number | Date): void {
    fs.lutimesSync(this.path, atime, mtime);
  }
}

/** A host object the guest can only stat: devices, sockets, FIFOs (opening a FIFO would block the server). */
class HostOther extends HostVnode {
  constructor(mount: HostMount, p: string, readonly filetype: number) {
    super(mount, p);
  }
}

class HostSymlink extends HostVnode {
  readonly filetype = FILETYPE.symbolicLink;

  override readlink(): string {
    return host(() => fs.readlinkSync(this.path));
  }
}

/** A regular file: a descriptor is held while retained, else each call opens and closes its own. */
class HostFile extends HostVnode {
  readonly filetype = FILETYPE.regularFile;
  private refs = 0;
  private held: Held | undefined;

  override retain(): void {
    if (this.refs++ === 0) this.held = openBest(this.path, this.mount.readOnly);
  }

  /** Close errors are dropped: the descriptor is gone either way and release has no error to give. */
  override release(): void {
    if (this.refs === 0 || --this.refs > 0 || !this.held) return;
    const { fd } = this.held;
    this.held = undefined;
    try {
      fs.closeSync(fd);
    } catch {
      // See above.
    }
  }

  override read(offset: number, into: Uint8Array): number {
    return this.withFd('read', (fd) => fs.readSync(fd, into, 0, into.length, offset));
  }

  override write(offset: number, from: Uint8Array): number {
    this.mount.checkWritable();
    return this.withFd('write', (fd) => fs.writeSync(fd, from, 0, from.length, offset));
  }

  override setSize(size: number): void {
    this.mount.checkWritable();
    this.withFd('write', (fd) => fs.ftruncateSync(fd, size));
  }

  override sync(): void {
    const held = this.held;
    if (held) host(() => fs.fsyncSync(held.fd));
  }

  /** A held descriptor reaches the file even after a rename or unlink of its path. */
  protected override hostStat(): fs.BigIntStats {
    const held = this.held;
    return held ? host(() => fs.fstatSync(held.fd, { bigint: true })) : super.hostStat();
  }

  protected override hostSetTimes(atime: number | Date, mtime: number | Date): void {
    if (this.held) fs.futimesSync(this.held.fd, atime, mtime);
    else super.hostSetTimes(atime, mtime);
  }

  /** Call `use` with the held descriptor if it allows `access`, else with one opened for this call. */
  private withFd<T>(access: Access, use: (fd: number) => T): T {
    const held = this.held;
    if (held?.[access]) return host(() => use(held.fd));
    return host(() => {
      const fd = fs.openSync(this.path, openFlags({ read: access === 'read', write: access === 'write' }));
      try {
        return use(fd);
      } finally {
        fs.closeSync(fd);
      }
    });
  }
}

function vnodeAt(mount: HostMount, p: string, st: fs.BigIntStats): HostVnode {
  const filetype = filetypeOf(st);
  if (filetype === FILETYPE.regularFile) return new HostFile(mount, p);
  if (filetype === FILETYPE.directory) return new HostDir(mount, p);
  if (filetype === FILETYPE.symbolicLink) return new HostSymlink(mount, p);
  return new HostOther(mount, p, filetype);
}

class HostDir extends HostVnode {
  readonly filetype = FILETYPE.directory;

  override lookup(name: string): Vnode {
    const p = this.child(name);
    return vnodeAt(this.mount, p, lstat(p));
  }

  override create(name: string, exclusive: boolean): Vnode {
    this.mount.checkWritable();
    const p = this.child(name);
    const existing = exclusive ? undefined : this.lstatIfExists(p);
    if (existing) return vnodeAt(this.mount, p, existing);
    host(() => fs.closeSync(fs.openSync(p, O_CREAT | O_EXCL | O_WRONLY | O_SAFE, 0o666)));
    return new HostFile(this.mount, p);
  }

  override mkdir(name: string): void {
    this.mutate(name, (p) => fs.mkdirSync(p, 0o777));
  }

  override symlink(name: string, target: string): void {
    this.mutate(name, (p) => fs.symlinkSync(target, p));
  }

  override link(name: string, target: Vnode): void {
    this.mount.checkWritable();
    const from = this.sameMount(target).path;
    this.mutate(name, (p) => fs.linkSync(from, p));
  }

  override unlink(name: string): void {
    this.mutate(name, (p) => {
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
    this.mutate(name, (p) => fs.rmdirSync(p));
  }

  override rename(name: string, toDir: Vnode, toName: string): void {
    this.mount.checkWritable();
    const dir = this.sameMount(toDir);
    if (!(dir instanceof HostDir)) throw new VfsError(ENOTDIR);
    const from = this.child(name);
    const to = dir.child(toName);
    host(() => fs.renameSync(from, to));
  }

  override entries(): DirEntry[] {
    const dir = FILETYPE.directory;
    const self = lstat(this.path).ino;
    const parent = this.path === this.mount.hostPath ? self : lstat(path.dirname(this.path)).ino;
    const named = host(() => fs.readdirSync(this.path)).flatMap((name) => this.entry(name));
    return [{ name: '.', ino: self, filetype: dir }, { name: '..', ino: parent, filetype: dir }, ...named];
  }

  /** The entry for `name`, or none if it went away since readdir. */
  private entry(name: string): DirEntry[] {
    const st = this.lstatIfExists(path.join(this.path, name));
    return st ? [{ name, ino: st.ino, filetype: filetypeOf(st) }] : [];
  }

  private child(name: string): string {
    checkName(name);
    return path.join(this.path, name);
  }

  /** A mutating call on the host path of `name`, with the read-only check and the error mapping. */
  private mutate(name: string, call: (p: string) => void): void {
    this.mount.checkWritable();
    const p = this.child(name);
    host(() => call(p));
  }

  private lstatIfExists(p: string): fs.BigIntStats | undefined {
    return host(() => fs.lstatSync(p, { bigint: true, throwIfNoEntry: false }));
  }

  /** `node` as a vnode of this mount: EXDEV for anything else. */
  private sameMount(node: Vnode): HostVnode {
    if (!(node instanceof HostVnode) || node.mount !== this.mount) throw new VfsError(EXDEV);
    return node;
  }
}
