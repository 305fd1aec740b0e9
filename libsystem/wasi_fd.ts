// wasi_snapshot_preview1 descriptor functions (fd_*) on top of the system-call stubs (bsd_user.ts):
// each makes its call, moves byte data between the program's memory and the message window (once,
// in chunks of the window's size), and writes the results into the program's structures. fd_read and
// fd_write try the console's rings (console.ts), pipes' rings (pipes.ts) and files' windows
// (file_windows.ts) first; fd_pread, fd_pwrite, fd_seek and fd_tell files' windows.
import type { Signals } from './signals.js';
import { ESUCCESS, EINVAL } from '../abi/errno.js';
import { FDSTAT, FILESTAT, WHENCE } from '../abi/wasi.js';
import * as bsd from './bsd_user.js';
import type { Syscalls } from './syscall.js';
import type { ConsoleRings } from './console.js';
import type { PipeRings } from './pipes.js';
import type { FileWindows } from './file_windows.js';
import type { UserMemory } from './uaccess.js';

export type WasiFunction = (...args: never[]) => number;

export interface WasiContext {
  mem: UserMemory;
  sys: Syscalls;
  signals: Signals;
}

/** Write an fstat/fstatat reply as a WASI filestat at `ptr`. */
export function putFilestat(c: WasiContext, ptr: number, st: bsd.FstatReply): void {
  c.mem.bytes(ptr, FILESTAT.size).fill(0);
  c.mem.setU64(ptr + FILESTAT.dev, st.dev);
  c.mem.setU64(ptr + FILESTAT.ino, st.ino);
  c.mem.setU8(ptr + FILESTAT.filetype, st.filetype);
  c.mem.setU64(ptr + FILESTAT.nlink, st.nlink);
  c.mem.setU64(ptr + FILESTAT.filesize, st.size);
  c.mem.setU64(ptr + FILESTAT.atim, st.atim);
  c.mem.setU64(ptr + FILESTAT.mtim, st.mtim);
  c.mem.setU64(ptr + FILESTAT.ctim, st.ctim);
}

/** write, or pwrite at `offset`, of the `len` bytes already at the window's start. */
function writeAt(sys: Syscalls, fd: number, len: number, offset?: bigint): bsd.WriteReply {
  return offset === undefined ? bsd.write(sys, fd, len) : bsd.pwrite(sys, fd, len, offset);
}

/** read, or pread at `offset`, of up to `room` bytes into the window. */
function readAt(sys: Syscalls, fd: number, room: number, offset?: bigint): bsd.ReadReply {
  return offset === undefined ? bsd.read(sys, fd, room) : bsd.pread(sys, fd, room, offset);
}

/** `offset` advanced by the `done` bytes a chunked call has moved (none: the file position). */
function advanced(offset: bigint | undefined, done: number): bigint | undefined {
  return offset === undefined ? undefined : offset + BigInt(done);
}

/**
 * Gather the iovecs into the window and write them in window-sized chunks; stops at an error or a
 * short write. A write that moved some bytes reports success with the count, as POSIX write does.
 */
function gatherWrite(c: WasiContext, fd: number, iovs: number, count: number, out: number, offset?: bigint): number {
  const win = c.sys.window;
  let total = 0;
  let pending = 0;
  let errno = ESUCCESS;
  let sent = false;
  const flush = (): boolean => {
    sent = true;
    const r = writeAt(c.sys, fd, pending, advanced(offset, total));
    errno = r.errno;
    total += r.n;
    const full = r.errno === ESUCCESS && r.n === pending;
    pending = 0;
    return full;
  };
  outer: for (const [ptr, len] of c.mem.iovecs(iovs, count)) {
    for (let done = 0; done < len; ) {
      const n = Math.min(len - done, win.length - pending);
      win.set(c.mem.bytes(ptr + done, n), pending);
      pending += n;
      done += n;
      if (pending === win.length && !flush()) break outer;
    }
  }
  if (pending || !sent) flush(); // a write of nothing still asks the server, which checks the descriptor
  if (errno !== ESUCCESS && total === 0) return errno;
  c.mem.setU32(out, total);
  return ESUCCESS;
}

/** Fill the iovecs from window-sized reads, until a short read. */
function scatterRead(c: WasiContext, fd: number, iovs: number, count: number, out: number, offset?: bigint): number {
  const vecs = c.mem.iovecs(iovs, count);
  const want = vecs.reduce((n, [, len]) => n + len, 0);
  let total = 0;
  let vi = 0;
  let vo = 0;
  if (want === 0) {
    const { errno } = readAt(c.sys, fd, 0, offset); // a read of nothing still asks the server, which checks the descriptor
    if (errno !== ESUCCESS) return errno;
  }
  while (total < want) {
    const ask = Math.min(want - total, c.sys.windowLen);
    const { errno, data } = readAt(c.sys, fd, ask, advanced(offset, total));
    if (errno !== ESUCCESS) {
      if (total === 0) return errno;
      break;
    }
    for (let from = 0; from < data.length; ) {
      const [ptr, len] = vecs[vi];
      const n = Math.min(len - vo, data.length - from);
      c.mem.copyOut(ptr + vo, data.subarray(from, from + n));
      from += n;
      vo += n;
      if (vo === len) [vi, vo] = [vi + 1, 0];
    }
    total += data.length;
    if (data.length < ask) break;
  }
  c.mem.setU32(out, total);
  return ESUCCESS;
}

/**
 * The common case of one iovec that fits the window: one copy and one call (write, or pwrite at
 * `offset`), no gathering and no allocation but the reply. Returns undefined when the general path
 * must run.
 */
function singleWrite(c: WasiContext, fd: number, iovs: number, count: number, out: number, offset?: bigint): number | undefined {
  if (count !== 1) return undefined;
  const len = c.mem.u32(iovs + 4);
  if (len > c.sys.windowLen) return undefined;
  c.mem.copyIn(c.sys.window, 0, c.mem.u32(iovs), len);
  const r = writeAt(c.sys, fd, len, offset);
  if (r.errno === ESUCCESS) c.mem.setU32(out, r.n);
  return r.errno;
}

/** singleWrite's counterpart: one call, then one copy from the window into the iovec. */
function singleRead(c: WasiContext, fd: number, iovs: number, count: number, out: number, offset?: bigint): number | undefined {
  if (count !== 1) return undefined;
  const len = c.mem.u32(iovs + 4);
  if (len > c.sys.windowLen) return undefined;
  const ptr = c.mem.u32(iovs);
  c.mem.bytes(ptr, len); // fault before the call, not after it consumed the data
  const { errno, data } = readAt(c.sys, fd, len, offset);
  if (errno !== ESUCCESS) return errno;
  c.mem.copyOut(ptr, data);
  c.mem.setU32(out, data.length);
  return ESUCCESS;
}

/** lseek, storing the new position at `out`; (0, CUR) is fd_tell. */
function lseek(c: WasiContext, fd: number, offset: bigint, whence: number, out: number): number {
  const r = bsd.lseek(c.sys, fd, offset, whence);
  if (r.errno === ESUCCESS) c.mem.setU64(out, r.position);
  return r.errno;
}

/**
 * The fast paths tried first: the standard streams' rings (console.ts), pipes' (pipes.ts), and files'
 * windows on the page cache (file_windows.ts, for reads, writes and seeks).
 */
export interface FastPaths {
  console?: ConsoleRings;
  pipes?: PipeRings;
  files?: FileWindows;
}

export function fdFunctions(c: WasiContext, fast: FastPaths = {}): Record<string, WasiFunction> {
  const { console: rings, pipes, files } = fast;
  const sys = c.sys;
  const write = (fd: number, iovs: number, count: number, out: number, offset?: bigint) =>
    singleWrite(c, fd, iovs, count, out, offset) ?? gatherWrite(c, fd, iovs, count, out, offset);
  const read = (fd: number, iovs: number, count: number, out: number, offset?: bigint) =>
    singleRead(c, fd, iovs, count, out, offset) ?? scatterRead(c, fd, iovs, count, out, offset);
  return {
    fd_write: (fd: number, iovs: number, count: number, out: number) =>
      rings?.write(fd, iovs, count, out) ?? pipes?.write(fd, iovs, count, out) ?? files?.write(fd, iovs, count, out) ?? write(fd, iovs, count, out),
    fd_pwrite: (fd: number, iovs: number, count: number, offset: bigint, out: number) =>
      files?.write(fd, iovs, count, out, offset) ?? write(fd, iovs, count, out, offset),
    fd_read: (fd: number, iovs: number, count: number, out: number) =>
      rings?.read(fd, iovs, count, out) ?? pipes?.read(fd, iovs, count, out) ?? files?.read(fd, iovs, count, out) ?? read(fd, iovs, count, out),
    fd_pread: (fd: number, iovs: number, count: number, offset: bigint, out: number) =>
      files?.read(fd, iovs, count, out, offset) ?? read(fd, iovs, count, out, offset),
    fd_close: (fd: number) => bsd.close(sys, fd),
    fd_sync: (fd: number) => bsd.fsync(sys, fd),
    fd_datasync: (fd: number) => bsd.fdatasync(sys, fd),
    fd_renumber: (from: number, to: number) => bsd.renumber(sys, from, to),
    fd_fdstat_set_flags: (fd: number, flags: number) => bsd.fd_set_flags(sys, fd, flags),
    fd_fdstat_set_rights: (fd: number, rights: bigint, inheriting: bigint) => bsd.fd_set_rights(sys, fd, rights, inheriting),
    fd_advise: (fd: number, offset: bigint, len: bigint, advice: number) => bsd.fadvise(sys, fd, offset, len, advice),
    fd_allocate: (fd: number, offset: bigint, len: bigint) => bsd.fallocate(sys, fd, offset, len),
    fd_filestat_set_size: (fd: number, size: bigint) => bsd.ftruncate(sys, fd, size),
    fd_filestat_set_times: (fd: number, atim: bigint, mtim: bigint, flags: number) => bsd.futimens(sys, fd, atim, mtim, flags),
    fd_seek: (fd: number, offset: bigint, whence: number, out: number) =>
      whence > 2 ? EINVAL : files?.seek(fd, offset, whence, out) ?? lseek(c, fd, offset, whence, out),
    fd_tell: (fd: number, out: number) => files?.seek(fd, 0n, WHENCE.cur, out) ?? lseek(c, fd, 0n, WHENCE.cur, out),
    fd_filestat_get: (fd: number, out: number) => {
      const st = bsd.fstat(sys, fd);
      if (st.errno === ESUCCESS) putFilestat(c, out, st);
      return st.errno;
    },
    fd_fdstat_get: (fd: number, out: number) => {
      const r = bsd.fdstat(sys, fd);
      if (r.errno !== ESUCCESS) return r.errno;
      c.mem.bytes(out, FDSTAT.size).fill(0);
      c.mem.setU8(out + FDSTAT.filetype, r.filetype);
      c.mem.setU16(out + FDSTAT.flags, r.fdflags);
      c.mem.setU64(out + FDSTAT.rightsBase, r.rights);
      c.mem.setU64(out + FDSTAT.rightsInheriting, r.inheriting);
      return ESUCCESS;
    },
  };
}
