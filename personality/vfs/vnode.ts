// The VFS object interface: every file system of the personality server (tmpfs, devfs, a host
// directory mount) implements Vnode, and everything above it (path lookup in namei.ts, path
// operations in ops.ts, open files and descriptors in file.ts) uses only this. Errors are thrown as
// VfsError with the WASI errno. A Vnode is one file-system object; it knows nothing about paths,
// descriptors or processes. BaseVnode gives every operation its "wrong kind of object" error.
import { EISDIR, ENOTDIR, EINVAL, EROFS } from '../../abi/errno.js';
import { FILETYPE } from '../../abi/wasi.js';
import type { Window } from '../vm/vm_window.js';

export class VfsError extends Error {
  constructor(readonly errno: number, detail = '') {
    super(detail || `errno ${errno}`);
  }
}

/** What fd_filestat_get reports: times are nanoseconds since the Unix epoch. */
export interface Stat {
  dev: bigint;
  ino: bigint;
  filetype: number;
  nlink: bigint;
  size: bigint;
  atim: bigint;
  mtim: bigint;
  ctim: bigint;
}

/** A time to set: nanoseconds since the epoch, 'now', or undefined to leave it unchanged. */
export type TimeSet = bigint | 'now' | undefined;

export interface DirEntry {
  name: string;
  ino: bigint;
  filetype: number;
}

/** Readiness for poll_oneoff: files and directories are always ready; streams say. */
export interface Readiness {
  readable: boolean;
  writable: boolean;
  /** The stream has ended (a read returns 0). */
  hangup: boolean;
  /** Bytes a read would return now, when known. */
  nbytes: number;
}

/** What an append did: the bytes written, and where they ended (the description's offset afterwards). */
export interface Appended {
  written: number;
  end: number;
}

/** One mounted file system. */
export interface Mount {
  readonly dev: bigint;
  readonly readOnly: boolean;
}

export interface Vnode {
  readonly filetype: number;
  readonly mount: Mount;
  /** False for streams (terminals, pipes): the offset is ignored and seeking gives ESPIPE. */
  readonly seekable: boolean;

  stat(): Stat;
  setTimes(atim: TimeSet, mtim: TimeSet): void;

  /** An open description now refers to this node (a host mount may keep a host descriptor). */
  retain(): void;
  /** The last reference of one retain() went away. */
  release(): void;

  // Regular files and devices.
  /** Read at `offset` into `into`; the count read, 0 at the end. Streams: EAGAIN when nothing is there yet. */
  read(offset: number, into: Uint8Array): number;
  /** Write `from` at `offset` (streams ignore it); the count written. Grows a file as needed (sparse). */
  write(offset: number, from: Uint8Array): number;
  /**
   * Write `from` at the end of the file as one step no other writer can come between (O_APPEND), on
   * seekable nodes.
   */
  append(from: Uint8Array): Appended;
  setSize(size: number): void;
  sync(): void;
  /**
   * Regular files whose data is in the page cache: a window on it for a new open file description
   * (vm/vm_window.ts), through which the task library reads and writes it itself.
   */
  window?(fdflags: number): Window | undefined;
  readiness(): Readiness;
  /** The wait channel (bsd/wait.ts) of a stream's reads or writes: woken when it may have become ready. */
  channel(dir: 'read' | 'write'): object;

  // Directories. Names are single components, never '.', '..' or containing '/'.
  lookup(name: string): Vnode;
  /** Create a regular file, or return the existing one (EEXIST if `exclusive`). */
  create(name: string, exclusive: boolean): Vnode;
  mkdir(name: string): void;
  symlink(name: string, target: string): void;
  /** A new name for `target` (same mount, not a directory). */
  link(name: string, target: Vnode): void;
  /** Remove a name that is not a directory. */
  unlink(name: string): void;
  /** Remove an empty directory. */
  rmdir(name: string): void;
  /** Move `name` to `toDir`/`toName` (same mount), replacing a compatible target as POSIX rename does. */
  rename(name: string, toDir: Vnode, toName: string): void;
  /** Every entry, starting with '.' and '..'. */
  entries(): DirEntry[];

  // Symbolic links.
  readlink(): string;

  /** Directories that can be mount points: cover `name` with `root`, another file system's root. */
  mountOn?(name: string, root: Vnode): void;
}

const ALWAYS_READY: Readiness = { readable: true, writable: true, hangup: false, nbytes: 0 };

/** Default behaviour of every operation: the error for an object of the wrong kind. */
export abstract class BaseVnode implements Vnode {
  abstract readonly filetype: number;
  abstract readonly mount: Mount;
  readonly seekable: boolean = true;

  abstract stat(): Stat;
  abstract setTimes(atim: TimeSet, mtim: TimeSet): void;

  retain(): void {}
  release(): void {}

  private notFile(): never {
    throw new VfsError(this.filetype === FILETYPE.directory ? EISDIR : EINVAL);
  }
  private notDir(): never {
    throw new VfsError(ENOTDIR);
  }

  read(_offset: number, _into: Uint8Array): number {
    return this.notFile();
  }
  write(_offset: number, _from: Uint8Array): number {
    return this.notFile();
  }
  /** At the size, then: atomic wherever the server alone writes the file (its calls run one at a time). */
  append(from: Uint8Array): Appended {
    const at = Number(this.stat().size);
    const written = this.write(at, from);
    return { written, end: at + written };
  }
  setSize(_size: number): void {
    this.notFile();
  }
  sync(): void {}
  readiness(): Readiness {
    return ALWAYS_READY;
  }

  channel(_dir: 'read' | 'write'): object {
    return this;
  }

  lookup(_name: string): Vnode {
    return this.notDir();
  }
  create(_name: string, _exclusive: boolean): Vnode {
    return this.notDir();
  }
  mkdir(_name: string): void {
    this.notDir();
  }
  symlink(_name: string, _target: string): void {
    this.notDir();
  }
  link(_name: string, _target: Vnode): void {
    this.notDir();
  }
  unlink(_name: string): void {
    this.notDir();
  }
  rmdir(_name: string): void {
    this.notDir();
  }
  rename(_name: string, _toDir: Vnode, _toName: string): void {
    this.notDir();
  }
  entries(): DirEntry[] {
    return this.notDir();
  }

  readlink(): string {
    throw new VfsError(EINVAL);
  }
}

function readOnly(): never {
  throw new VfsError(EROFS);
}

/**
 * A node of a read-only file system (bootfs, procfs): every change is EROFS, as on a read-only mount;
 * what there is to read is the subclass's.
 */
export abstract class ReadOnlyVnode extends BaseVnode {
  setTimes(): void {
    readOnly();
  }
  override write(offset: number, from: Uint8Array): number {
    return this.filetype === FILETYPE.regularFile ? readOnly() : super.write(offset, from);
  }
  override setSize(size: number): void {
    if (this.filetype === FILETYPE.regularFile) readOnly();
    super.setSize(size);
  }
  override create(_name: string, _exclusive: boolean): Vnode {
    return readOnly();
  }
  override mkdir(): void {
    readOnly();
  }
  override symlink(): void {
    readOnly();
  }
  override link(): void {
    readOnly();
  }
  override unlink(): void {
    readOnly();
  }
  override rmdir(): void {
    readOnly();
  }
  override rename(): void {
    readOnly();
  }
}

/** Nanoseconds since the epoch, now (performance.timeOrigin keeps sub-millisecond digits). */
export function nowNs(): bigint {
  return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e3)) * 1000n;
}
