// wasi_snapshot_preview1 descriptor functions (fd_*) on top of the system-call stubs: each packs its
// arguments into words, moves byte data between the program's memory and the message window (once,
// in chunks of the window's size), and writes the results into the program's structures. fd_read and
// fd_write of the standard streams try the console's rings first (console.ts).
import { SYS, u64Words } from '../personality/interfaces/bsd.js';
import { ESUCCESS, EINVAL } from '../personality/interfaces/errno.js';
import { FDSTAT, FILESTAT, WHENCE } from '../personality/interfaces/wasi.js';
import type { Syscalls } from './syscall.js';
import type { ConsoleRings } from './console.js';
import type { UserMemory } from './uaccess.js';

export type WasiFunction = (...args: never[]) => number;

export interface WasiContext {
  mem: UserMemory;
  sys: Syscalls;
}

/** Write the 8 result words of fstat/fstatat as a WASI filestat at `ptr`. */
export function putFilestat(c: WasiContext, ptr: number): void {
  const s = c.sys;
  c.mem.bytes(ptr, FILESTAT.size).fill(0);
  c.mem.setU64(ptr + FILESTAT.dev, s.resultU64(0));
  c.mem.setU64(ptr + FILESTAT.ino, s.resultU64(2));
  c.mem.setU8(ptr + FILESTAT.filetype, s.result(4));
  c.mem.setU64(ptr + FILESTAT.nlink, s.resultU64(5));
  c.mem.setU64(ptr + FILESTAT.filesize, s.resultU64(7));
  c.mem.setU64(ptr + FILESTAT.atim, s.resultU64(9));
  c.mem.setU64(ptr + FILESTAT.mtim, s.resultU64(11));
  c.mem.setU64(ptr + FILESTAT.ctim, s.resultU64(13));
}

/**
 * Gather the iovecs into the window and send them in window-sized chunks with `send(len, done)`,
 * which returns [errno, written]; stops at an error or a short write. A write that moved some bytes
 * reports success with the count, as POSIX write does.
 */
function gatherWrite(c: WasiContext, iovs: number, count: number, out: number, send: (len: number, done: number) => [number, number]): number {
  const win = c.sys.window;
  let total = 0;
  let pending = 0;
  let errno = ESUCCESS;
  let sent = false;
  const flush = (): boolean => {
    sent = true;
    const [e, n] = send(pending, total);
    errno = e;
    total += n;
    const full = e === ESUCCESS && n === pending;
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

/** Fill the iovecs from `recv(len, done)` chunks ([errno, got] into the window at 0), until a short read. */
function scatterRead(c: WasiContext, iovs: number, count: number, out: number, recv: (len: number, done: number) => [number, number]): number {
  const vecs = c.mem.iovecs(iovs, count);
  const want = vecs.reduce((n, [, len]) => n + len, 0);
  let total = 0;
  let vi = 0;
  let vo = 0;
  if (want === 0) {
    const [errno] = recv(0, 0); // a read of nothing still asks the server, which checks the descriptor
    if (errno !== ESUCCESS) return errno;
  }
  while (total < want) {
    const ask = Math.min(want - total, c.sys.windowLen);
    const [errno, got] = recv(ask, total);
    if (errno !== ESUCCESS) {
      if (total === 0) return errno;
      break;
    }
    for (let from = 0; from < got; ) {
      const [ptr, len] = vecs[vi];
      const n = Math.min(len - vo, got - from);
      c.mem.copyOut(ptr + vo, c.sys.window.subarray(from, from + n));
      from += n;
      vo += n;
      if (vo === len) [vi, vo] = [vi + 1, 0];
    }
    total += got;
    if (got < ask) break;
  }
  c.mem.setU32(out, total);
  return ESUCCESS;
}

/** One read or write call: descriptor, length and, for pread/pwrite, the offset. Returns the errno. */
function ioCall(c: WasiContext, label: number, fd: number, len: number, offset?: bigint): number {
  return offset === undefined ? c.sys.call2(label, fd, len) : c.sys.call(label, [fd, len, ...u64Words(offset)]);
}

/**
 * The common case of one iovec that fits the window: one copy and one call (`label` with the
 * descriptor, the length and, for pwrite, the offset), no gathering and no allocation.
 * Returns undefined when the general path must run.
 */
function singleWrite(c: WasiContext, label: number, fd: number, iovs: number, count: number, out: number, offset?: bigint): number | undefined {
  if (count !== 1) return undefined;
  const len = c.mem.u32(iovs + 4);
  if (len > c.sys.windowLen) return undefined;
  c.mem.copyIn(c.sys.window, 0, c.mem.u32(iovs), len);
  const errno = ioCall(c, label, fd, len, offset);
  if (errno === ESUCCESS) c.mem.setU32(out, c.sys.result(0));
  return errno;
}

/** singleWrite's counterpart: one call, then one copy from the window into the iovec. */
function singleRead(c: WasiContext, label: number, fd: number, iovs: number, count: number, out: number, offset?: bigint): number | undefined {
  if (count !== 1) return undefined;
  const len = c.mem.u32(iovs + 4);
  if (len > c.sys.windowLen) return undefined;
  const ptr = c.mem.u32(iovs);
  c.mem.bytes(ptr, len); // fault before the call, not after it consumed the data
  const errno = ioCall(c, label, fd, len, offset);
  if (errno !== ESUCCESS) return errno;
  const n = c.sys.result(0);
  c.mem.copyOut(ptr, c.sys.window.subarray(0, n));
  c.mem.setU32(out, n);
  return ESUCCESS;
}

/** lseek, storing the new position at `out`; (0, CUR) is fd_tell. */
function lseek(c: WasiContext, fd: number, offset: bigint, whence: number, out: number): number {
  const errno = c.sys.call(SYS.lseek, [fd, ...u64Words(offset), whence]);
  if (errno === ESUCCESS) c.mem.setU64(out, c.sys.resultU64(0));
  return errno;
}

/** `rings`: the standard streams' fast path (console.ts), tried first by fd_read and fd_write. */
export function fdFunctions(c: WasiContext, rings?: ConsoleRings): Record<string, WasiFunction> {
  const sys = c.sys;
  const simple = (label: number, args: number[]) => sys.call(label, args);
  /** One ioCall per window-full, at `offset` advanced by what is done (no offset: the file position); a failed one moved nothing. */
  const chunk = (label: number, fd: number, offset?: bigint) => (len: number, done: number): [number, number] => {
    const errno = ioCall(c, label, fd, len, offset === undefined ? undefined : offset + BigInt(done));
    return [errno, errno === ESUCCESS ? sys.result(0) : 0];
  };
  const write = (label: number, fd: number, iovs: number, count: number, out: number, offset?: bigint) =>
    singleWrite(c, label, fd, iovs, count, out, offset) ?? gatherWrite(c, iovs, count, out, chunk(label, fd, offset));
  const read = (label: number, fd: number, iovs: number, count: number, out: number, offset?: bigint) =>
    singleRead(c, label, fd, iovs, count, out, offset) ?? scatterRead(c, iovs, count, out, chunk(label, fd, offset));
  return {
    fd_write: (fd: number, iovs: number, count: number, out: number) =>
      rings?.write(fd, iovs, count, out) ?? write(SYS.write, fd, iovs, count, out),
    fd_pwrite: (fd: number, iovs: number, count: number, offset: bigint, out: number) =>
      write(SYS.pwrite, fd, iovs, count, out, offset),
    fd_read: (fd: number, iovs: number, count: number, out: number) =>
      rings?.read(fd, iovs, count, out) ?? read(SYS.read, fd, iovs, count, out),
    fd_pread: (fd: number, iovs: number, count: number, offset: bigint, out: number) =>
      read(SYS.pread, fd, iovs, count, out, offset),
    fd_close: (fd: number) => simple(SYS.close, [fd]),
    fd_sync: (fd: number) => simple(SYS.fsync, [fd]),
    fd_datasync: (fd: number) => simple(SYS.fdatasync, [fd]),
    fd_renumber: (from: number, to: number) => simple(SYS.renumber, [from, to]),
    fd_fdstat_set_flags: (fd: number, flags: number) => simple(SYS.fcntl, [fd, flags]),
    fd_fdstat_set_rights: (fd: number, rights: bigint, inheriting: bigint) => simple(SYS.fd_set_rights, [fd, ...u64Words(rights), ...u64Words(inheriting)]),
    fd_advise: (fd: number, offset: bigint, len: bigint, advice: number) => simple(SYS.fadvise, [fd, ...u64Words(offset), ...u64Words(len), advice]),
    fd_allocate: (fd: number, offset: bigint, len: bigint) => simple(SYS.fallocate, [fd, ...u64Words(offset), ...u64Words(len)]),
    fd_filestat_set_size: (fd: number, size: bigint) => simple(SYS.ftruncate, [fd, ...u64Words(size)]),
    fd_filestat_set_times: (fd: number, atim: bigint, mtim: bigint, flags: number) =>
      simple(SYS.futimens, [fd, ...u64Words(atim), ...u64Words(mtim), flags]),
    fd_seek: (fd: number, offset: bigint, whence: number, out: number) => (whence > 2 ? EINVAL : lseek(c, fd, offset, whence, out)),
    fd_tell: (fd: number, out: number) => lseek(c, fd, 0n, WHENCE.cur, out),
    fd_filestat_get: (fd: number, out: number) => {
      const errno = sys.call(SYS.fstat, [fd]);
      if (errno === ESUCCESS) putFilestat(c, out);
      return errno;
    },
    fd_fdstat_get: (fd: number, out: number) => {
      const errno = sys.call(SYS.fdstat, [fd]);
      if (errno !== ESUCCESS) return errno;
      c.mem.bytes(out, FDSTAT.size).fill(0);
      c.mem.setU8(out + FDSTAT.filetype, sys.result(0));
      c.mem.setU16(out + FDSTAT.flags, sys.result(1));
      c.mem.setU64(out + FDSTAT.rightsBase, sys.resultU64(2));
      c.mem.setU64(out + FDSTAT.rightsInheriting, sys.resultU64(4));
      return ESUCCESS;
    },
  };
}
