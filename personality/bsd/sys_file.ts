// Descriptor system calls (xv6 sysfile.c): read, write, pread, pwrite, close, lseek, sync, stat,
// truncate, times, fdstat and flags, rights, advice, allocation, renumber. Each handler checks the
// descriptor and its rights, then acts on the open file's vnode; data moves between the vnode and
// the caller's window in place. A read that finds no data (or a write the host cannot take yet) on a
// blocking stream parks the call.
import { EAGAIN, EINVAL, ESPIPE, EOVERFLOW, ENOTCAPABLE, EPIPE, SIGPIPE } from '../interfaces/errno.js';
import { RIGHT, FDFLAGS, FDFLAGS_ALL, FSTFLAGS, FSTFLAGS_ALL, WHENCE, ADVICE_MAX } from '../interfaces/wasi.js';
import { VfsError, type Stat, type TimeSet } from '../vfs/vnode.js';
import type { Descriptor, OpenFile } from '../vfs/file.js';
import { Blocked, type Request } from './syscalls.js';
import { u64Words } from '../interfaces/bsd.js';

const MAX_OFFSET = BigInt(Number.MAX_SAFE_INTEGER);

function fd(r: Request, rights: number): Descriptor {
  return r.proc.fds.need(r.word(0), rights);
}

/**
 * Run a read or write of `len` bytes of `file` (of none: nothing after the descriptor checks already
 * made): one that would block parks the call, unless the descriptor is
 * non-blocking; a write to a stream whose reader is gone ends the process by SIGPIPE (its default
 * action; handlers come with signals) and answers EPIPE.
 */
function transfer(r: Request, file: OpenFile, len: number, io: () => number): number {
  if (len === 0) return 0; // checked the descriptor and its rights; moves nothing, never waits (POSIX read/write of 0)
  try {
    return io();
  } catch (e) {
    if (!(e instanceof VfsError)) throw e;
    if (e.errno === EAGAIN && (file.fdflags & FDFLAGS.nonblock) === 0) throw new Blocked();
    if (e.errno === EPIPE) r.server.end(r.proc, { signal: SIGPIPE, reason: 'write to a stream with no reader' });
    throw e;
  }
}

/** ENOTCAPABLE unless both right sets lie within their limits (rights are only ever passed on or dropped). */
export function checkWithin(rights: number, inheriting: number, maxRights: number, maxInheriting: number): void {
  if ((rights & ~maxRights) !== 0 || (inheriting & ~maxInheriting) !== 0) throw new VfsError(ENOTCAPABLE);
}

function checkedOffset(x: bigint): number {
  if (x < 0n) throw new VfsError(EINVAL);
  if (x > MAX_OFFSET) throw new VfsError(EOVERFLOW);
  return Number(x);
}

export function sysRead(r: Request): readonly number[] {
  const { file } = fd(r, RIGHT.fdRead);
  const n = transfer(r, file, r.word(1), () => file.vnode.read(file.offset, r.out(r.word(1))));
  if (file.vnode.seekable) file.offset += n;
  return [n];
}

export function sysPread(r: Request): readonly number[] {
  const { file } = fd(r, RIGHT.fdRead | RIGHT.fdSeek);
  if (!file.vnode.seekable) throw new VfsError(ESPIPE);
  const offset = checkedOffset(r.u64(2));
  return [transfer(r, file, r.word(1), () => file.vnode.read(offset, r.out(r.word(1))))];
}

/** O_APPEND on a seekable node: the vnode appends atomically (every writer, host ones included, is after or before). */
function appends(file: OpenFile): boolean {
  return (file.fdflags & FDFLAGS.append) !== 0 && file.vnode.seekable;
}

/** write; with O_APPEND the offset afterwards is the end of what was written (POSIX). */
export function sysWrite(r: Request): readonly number[] {
  const { file } = fd(r, RIGHT.fdWrite);
  const v = file.vnode;
  const len = r.word(1);
  if (appends(file)) {
    return [transfer(r, file, len, () => {
      const { written, end } = v.append(r.data(len));
      file.offset = end;
      return written;
    })];
  }
  const n = transfer(r, file, len, () => v.write(file.offset, r.data(len)));
  if (v.seekable) file.offset += n;
  return [n];
}

/** pwrite; on an O_APPEND descriptor it appends, as Linux and wasmtime do, and leaves the offset alone. */
export function sysPwrite(r: Request): readonly number[] {
  const { file } = fd(r, RIGHT.fdWrite | RIGHT.fdSeek);
  const v = file.vnode;
  if (!v.seekable) throw new VfsError(ESPIPE);
  const at = checkedOffset(r.u64(2));
  const len = r.word(1);
  return [transfer(r, file, len, () => (appends(file) ? v.append(r.data(len)).written : v.write(at, r.data(len))))];
}

export function sysClose(r: Request): readonly number[] {
  r.proc.fds.close(r.word(0));
  return [];
}

/** lseek; (0, CUR) is a tell and needs only the tell right. */
export function sysLseek(r: Request): readonly number[] {
  const offset = r.s64(1);
  const whence = r.word(3);
  const tell = offset === 0n && whence === WHENCE.cur;
  const { file } = fd(r, tell ? RIGHT.fdTell : RIGHT.fdSeek);
  if (!file.vnode.seekable) throw new VfsError(ESPIPE);
  const base = whence === WHENCE.set ? 0n : whence === WHENCE.cur ? BigInt(file.offset) : whence === WHENCE.end ? file.vnode.stat().size : -1n;
  if (base < 0n) throw new VfsError(EINVAL);
  file.offset = checkedOffset(base + offset);
  return u64Words(file.offset);
}

export function sysFsync(r: Request): readonly number[] {
  fd(r, RIGHT.fdSync).file.vnode.sync();
  return [];
}

export function sysFdatasync(r: Request): readonly number[] {
  fd(r, RIGHT.fdDatasync).file.vnode.sync();
  return [];
}

/** A Stat as result words, in the order of the fstat spec. */
export function statWords(s: Stat): number[] {
  return [...u64Words(s.dev), ...u64Words(s.ino), s.filetype, ...u64Words(s.nlink), ...u64Words(s.size),
    ...u64Words(s.atim), ...u64Words(s.mtim), ...u64Words(s.ctim)];
}

export function sysFstat(r: Request): readonly number[] {
  return statWords(fd(r, RIGHT.fdFilestatGet).file.vnode.stat());
}

export function sysFtruncate(r: Request): readonly number[] {
  fd(r, RIGHT.fdFilestatSetSize).file.vnode.setSize(checkedOffset(r.u64(1)));
  return [];
}

/** WASI fstflags -> the two times to set (EINVAL when a time is both given and "now"). */
export function timesFrom(atim: bigint, mtim: bigint, flags: number): [TimeSet, TimeSet] {
  const one = (given: number, now: number, t: bigint): TimeSet => {
    if ((flags & given) && (flags & now)) throw new VfsError(EINVAL);
    return flags & now ? 'now' : flags & given ? t : undefined;
  };
  if (flags & ~FSTFLAGS_ALL) throw new VfsError(EINVAL);
  return [one(FSTFLAGS.atim, FSTFLAGS.atimNow, atim), one(FSTFLAGS.mtim, FSTFLAGS.mtimNow, mtim)];
}

export function sysFutimens(r: Request): readonly number[] {
  const { file } = fd(r, RIGHT.fdFilestatSetTimes);
  file.vnode.setTimes(...timesFrom(r.u64(1), r.u64(3), r.word(5)));
  return [];
}

export function sysFdstat(r: Request): readonly number[] {
  const d = r.proc.fds.get(r.word(0));
  return [d.file.vnode.filetype, d.file.fdflags, ...u64Words(d.rights), ...u64Words(d.inheriting)];
}

export function sysFcntl(r: Request): readonly number[] {
  const flags = r.word(1);
  const { file } = fd(r, RIGHT.fdFdstatSetFlags);
  if (flags & ~FDFLAGS_ALL) throw new VfsError(EINVAL);
  file.fdflags = flags;
  return [];
}

/** Rights can only be dropped. */
export function sysFdSetRights(r: Request): readonly number[] {
  const d = r.proc.fds.get(r.word(0));
  const rights = r.rights(1);
  const inheriting = r.rights(3);
  checkWithin(rights, inheriting, d.rights, d.inheriting);
  d.rights = rights;
  d.inheriting = inheriting;
  return [];
}

/** Advice is accepted and ignored (it cannot change results), after checking it. */
export function sysFadvise(r: Request): readonly number[] {
  const { file } = fd(r, RIGHT.fdAdvise);
  checkedOffset(r.u64(1));
  checkedOffset(r.u64(3));
  if (r.word(5) > ADVICE_MAX) throw new VfsError(EINVAL);
  if (!file.vnode.seekable) throw new VfsError(ESPIPE);
  return [];
}

/** posix_fallocate: make the file at least offset+len long. */
export function sysFallocate(r: Request): readonly number[] {
  const { file } = fd(r, RIGHT.fdAllocate);
  const offset = checkedOffset(r.u64(1));
  const len = checkedOffset(r.u64(3));
  if (len === 0) throw new VfsError(EINVAL);
  const end = checkedOffset(BigInt(offset) + BigInt(len));
  if (end > Number(file.vnode.stat().size)) file.vnode.setSize(end);
  return [];
}

export function sysRenumber(r: Request): readonly number[] {
  r.proc.fds.renumber(r.word(0), r.word(1));
  return [];
}
