// Open files and descriptor tables (xv6 file.c): an OpenFile is one open of a vnode, with its offset
// (in its window, when task libraries may read the file themselves), status flags and the directory
// listing it keeps for readdir cookies (charged to a budget until it is replaced, forgotten or the
// open file closed); a Descriptor is a process's numbered reference to it,
// carrying the WASI rights the descriptor holds (and the rights it passes on to what is opened through
// it) and its close-on-exec flag. The FdTable allocates the lowest free number, enforces the
// descriptor limit, duplicates descriptors (dup, dup2, a spawned child's table) and releases vnodes
// on close.
import { EBADF, EINVAL, EMFILE, ENOMEM, ENOTCAPABLE, ESPIPE } from '../../abi/errno.js';
import { RIGHT } from '../../abi/wasi.js';
import { FAST_FILE, FAST_FILE_READ, FAST_FILE_SEEK, FAST_FILE_WRITE } from '../../abi/file_window.js';
import type { Budget } from './budget.js';
import { utf8Length } from './namei.js';
import { VfsError, type DirEntry, type Vnode } from './vnode.js';
import type { Window } from '../vm/vm_window.js';
import type { FileView } from './procfs.js';

/** Heap a listed entry costs beside its name: a DirEntry and its array slot (58 bytes measured on Node 20). */
const LISTED_ENTRY_COST = 64;

function listingCost(entries: readonly DirEntry[]): number {
  let bytes = 0;
  for (const e of entries) bytes += LISTED_ENTRY_COST + utf8Length(e.name);
  return bytes;
}

/** A listing an open file keeps, with the budget it is charged to. */
interface Listing {
  entries: DirEntry[];
  bytes: number;
  budget: Budget;
}

export class OpenFile {
  /**
   * For a file whose data is in the page cache: the window through which task libraries read and
   * write it themselves (vm/vm_window.ts), which holds the offset, so every process sharing this
   * open file sees one.
   */
  readonly window: Window | undefined;
  private position = 0;
  private flags: number;
  private kept: Listing | undefined;
  private refs = 1;

  constructor(readonly vnode: Vnode, fdflags: number) {
    vnode.retain();
    this.flags = fdflags;
    this.window = vnode.window?.(fdflags);
  }

  get offset(): number {
    return this.window ? this.window.offset : this.position;
  }

  set offset(at: number) {
    if (this.window) this.window.offset = at;
    else this.position = at;
  }

  get fdflags(): number {
    return this.flags;
  }

  set fdflags(flags: number) {
    this.flags = flags;
    if (this.window) this.window.fdflags = flags;
  }

  /** Run `fn`, a call's use of the offset and the data, as one step no task library's read or write of the file comes between (under the file's token). */
  serialized<T>(fn: () => T): T {
    return this.window === undefined ? fn() : this.window.token.locked(fn);
  }

  /** Another descriptor refers to this open file. */
  share(): OpenFile {
    this.refs++;
    return this;
  }

  /** The directory's listing as of the last list(), while kept: a listing read in pieces is one snapshot. */
  get listing(): DirEntry[] | undefined {
    return this.kept?.entries;
  }

  /** List the directory afresh, replacing the listing kept; ENOMEM when `budget` cannot hold it. */
  list(budget: Budget): DirEntry[] {
    this.forget();
    const entries = this.vnode.entries();
    const bytes = listingCost(entries);
    if (!budget.reserve(bytes)) throw new VfsError(ENOMEM, 'directory listings held exceed their budget');
    this.kept = { entries, bytes, budget };
    return entries;
  }

  /** Stop keeping the listing; its budget gets its bytes back. */
  forget(): void {
    this.kept?.budget.free(this.kept.bytes);
    this.kept = undefined;
  }

  drop(): void {
    if (--this.refs > 0) return;
    this.forget();
    this.window?.close();
    this.vnode.release();
  }
}

export interface Descriptor {
  file: OpenFile;
  rights: number;
  inheriting: number;
  /** Set for a preopened directory: the name the program sees (fd_prestat_dir_name). */
  preopen?: string;
  /** FD_CLOEXEC: not passed to a spawned child (later: closed by exec). */
  cloexec?: boolean;
}

/** The descriptor flag FD_CLOEXEC (fcntl F_GETFD/F_SETFD, dup's flags). */
export const FD_CLOEXEC = 1;

/** The rights a stream never has. */
const SEEKING = RIGHT.fdSeek | RIGHT.fdTell;

export class FdTable {
  private slots = new Map<number, Descriptor>();
  /** Counts changes (a descriptor opened, closed, replaced, or its open file's flags set), so views of the table know when to look again. */
  generation = 0;

  constructor(readonly limit: number) {}

  /** The descriptor `fd`, or EBADF. */
  get(fd: number): Descriptor {
    const d = this.slots.get(fd);
    if (!d) throw new VfsError(EBADF);
    return d;
  }

  /** The descriptor `fd`, or undefined if it is not open (for a look that is not an error). */
  lookup(fd: number): Descriptor | undefined {
    return this.slots.get(fd);
  }

  /**
   * The descriptor `fd` if it holds every right in `rights`: EBADF, or ENOTCAPABLE. A stream lacks the
   * seek and tell rights by its type (wasi-libc's isatty looks for exactly that), so asking it to
   * seek is ESPIPE, as lseek on a pipe or terminal says and wasmtime answers.
   */
  need(fd: number, rights: number): Descriptor {
    const d = this.get(fd);
    const missing = rights & ~d.rights;
    if (missing === 0) return d;
    if ((missing & SEEKING) !== 0 && !d.file.vnode.seekable) throw new VfsError(ESPIPE);
    throw new VfsError(ENOTCAPABLE);
  }

  /** Install at the lowest free number (at least `min`): EMFILE past the limit, EINVAL for a `min` outside it. */
  install(d: Descriptor, min = 0): number {
    for (let fd = min; fd < this.limit; fd++) {
      if (!this.slots.has(fd)) {
        this.slots.set(fd, d);
        this.generation++;
        return fd;
      }
    }
    d.file.drop();
    throw new VfsError(min < 0 || min >= this.limit ? EINVAL : EMFILE);
  }

  /** A new descriptor for the open file of `fd`, at the lowest free number >= `min` (dup, F_DUPFD). */
  dup(fd: number, min: number, cloexec: boolean): number {
    const d = this.get(fd);
    if (min < 0 || min >= this.limit) throw new VfsError(EINVAL);
    return this.install({ file: d.file.share(), rights: d.rights, inheriting: d.inheriting, cloexec }, min);
  }

  /** `to` becomes a descriptor for the open file of `from`, closing what it was (dup2, dup3); EBADF for a `to` outside the limit. */
  dup2(from: number, to: number, cloexec: boolean): void {
    const d = this.get(from);
    if (to < 0 || to >= this.limit) throw new VfsError(EBADF);
    if (from === to) return;
    if (this.slots.has(to)) this.close(to);
    this.slots.set(to, { file: d.file.share(), rights: d.rights, inheriting: d.inheriting, cloexec });
    this.generation++;
  }

  /**
   * The table a spawned child starts from: every descriptor at the same number, sharing its open file
   * (offset and status flags, as POSIX says of inherited descriptors), close-on-exec marks too (the
   * spawn's file actions run first, then closeOnExec).
   */
  inherit(): FdTable {
    const child = new FdTable(this.limit);
    for (const [fd, d] of this.slots) child.slots.set(fd, { ...d, file: d.file.share() });
    return child;
  }

  /** exec: close every descriptor marked close-on-exec. */
  closeOnExec(): void {
    for (const [fd, d] of [...this.slots]) if (d.cloexec) this.close(fd);
  }

  /** The preopened directories, by the name the program sees, in descriptor order. */
  preopens(): { name: string; dir: Vnode }[] {
    return [...this.slots].filter(([, d]) => d.preopen !== undefined).sort(([a], [b]) => a - b).map(([, d]) => ({ name: d.preopen!, dir: d.file.vnode }));
  }

  /** Close `fd`: it is gone from the table even when letting its file go fails (a host file's write-back: the error is the caller's, as close's EIO). */
  close(fd: number): void {
    const d = this.get(fd);
    this.slots.delete(fd);
    this.generation++;
    d.file.drop();
  }

  /** WASI fd_renumber: `from` takes the place of `to` (which must be open), and `from` is closed. */
  renumber(from: number, to: number): void {
    const d = this.get(from);
    this.get(to);
    if (from === to) return;
    this.close(to);
    this.slots.set(to, d);
    this.slots.delete(from);
    this.generation++;
  }

  /** Every descriptor, by number. */
  list(): Array<[number, Descriptor]> {
    return [...this.slots].sort(([a], [b]) => a - b);
  }

  /** Close every descriptor (a process ends): an error letting one go is lost, as at exit on Linux. */
  closeAll(): void {
    for (const fd of [...this.slots.keys()]) {
      try {
        this.close(fd);
      } catch (e) {
        if (!(e instanceof VfsError)) throw e;
      }
    }
  }
}

/**
 * The fast-path table's word (COMMPAGE.fastpath) for a descriptor of a file with a window: its
 * address and what the descriptor's rights let the task library do itself; 0 for any other.
 */
export function fileSlot(d: Descriptor | undefined): number {
  const window = d?.file.window;
  if (window === undefined) return 0;
  const may = (right: number, bit: number): number => ((d!.rights & right) === right ? bit : 0);
  return window.addr | FAST_FILE | may(RIGHT.fdRead, FAST_FILE_READ) | may(RIGHT.fdWrite, FAST_FILE_WRITE) | may(SEEKING, FAST_FILE_SEEK);
}

const TYPE_NAMES = ['unknown', 'block', 'character', 'directory', 'regular', 'dgram', 'stream', 'symlink'];

/** What /proc/PID/files shows of a descriptor table. */
export function fileViews(fds: FdTable): FileView[] {
  return fds.list().map(([fd, { file }]) => {
    const w = file.window;
    return {
      fd,
      type: TYPE_NAMES[file.vnode.filetype] ?? 'unknown',
      offset: file.vnode.seekable ? file.offset : undefined,
      window: w && { addr: w.addr, token: w.token.addr, holder: w.token.holder },
    };
  });
}
