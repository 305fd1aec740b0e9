// Descriptor system calls (xv6 sysfile.c): read, write, pread, pwrite, close, lseek, sync, stat,
// truncate, times, fdstat and flags, rights, advice, allocation, renumber, dup, dup2, fcntl, pipe. Each handler checks the
// descriptor and its rights, then acts on the open file's vnode; data moves between the vnode and
// the caller's window in place. A read that finds no data (or a write the host cannot take yet) on a
// blocking stream parks the call.
import { EAGAIN, EINVAL, EISDIR, ESPIPE, EOVERFLOW, ENOTCAPABLE, EPIPE, SIGPIPE } from '../../abi/errno.js';
import { FILETYPE, RIGHT, FDFLAGS, FDFLAGS_ALL, FSTFLAGS, FSTFLAGS_ALL, WHENCE, ADVICE_MAX } from '../../abi/wasi.js';
import { RIGHTS_ALL, RIGHTS_TTY } from '../../abi/wasi.js';
import { VfsError, type Stat, type TimeSet } from '../vfs/vnode.js';
import { FD_CLOEXEC, OpenFile, type Descriptor } from '../vfs/file.js';
import { PipeEnd } from '../vfs/pipe.js';
import type { Request } from './syscalls.js';
import { Blocked } from './wait.js';
import { psignal } from './kern_sig.js';
import type * as bsd from './bsd_server.js';

const MAX_OFFSET = BigInt(Number.MAX_SAFE_INTEGER);

function fd(r: Request, a: { fd: number }, rights: number): Descriptor {
  return r.proc.fds.need(a.fd, rights);
}

/** A descriptor to read from: EISDIR for a directory, as Linux says (WASI's rights would say ENOTCAPABLE, which wasi-libc reports as EBADF). */
function readable(r: Request, a: { fd: number }, rights: number): Descriptor {
  const d = r.proc.fds.get(a.fd);
  if (d.file.vnode.filetype === FILETYPE.directory) throw new VfsError(EISDIR);
  return fd(r, a, rights);
}

/** A WASI rights argument: ENOTCAPABLE for bits no right has. */
export function rightsArg(x: bigint): number {
  if (x > BigInt(RIGHTS_ALL)) throw new VfsError(ENOTCAPABLE);
  return Number(x);
}

/**
 * Run a read or write (`dir`) of `len` bytes of `file` (of none: nothing after the descriptor checks
 * already made): one that would block parks the call on the stream's channel, unless the descriptor
 * is non-blocking; a write to a stream whose reader is gone ends the process by SIGPIPE (its default
 * action; handlers come with signals) and answers EPIPE.
 */
function transfer(r: Request, file: OpenFile, dir: 'read' | 'write', len: number, io: () => number): number {
  if (len === 0) return 0; // checked the descriptor and its rights; moves nothing, never waits (POSIX read/write of 0)
  try {
    return io();
  } catch (e) {
    if (!(e instanceof VfsError)) throw e;
    if (e.errno === EAGAIN && (file.fdflags & FDFLAGS.nonblock) === 0) throw new Blocked([file.vnode.channel(dir)]);
    if (e.errno === EPIPE) psignal(r.server, r.proc, SIGPIPE, 'write to a stream with no reader');
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

export function sysRead(r: Request, a: bsd.ReadIn): bsd.ReadOut {
  const { file } = readable(r, a, RIGHT.fdRead);
  return file.serialized(() => {
    const n = transfer(r, file, 'read', a.data.length, () => file.vnode.read(file.offset, a.data));
    if (file.vnode.seekable) file.offset += n;
    return { data: n };
  });
}

export function sysPread(r: Request, a: bsd.PreadIn): bsd.PreadOut {
  const { file } = readable(r, a, RIGHT.fdRead | RIGHT.fdSeek);
  if (!file.vnode.seekable) throw new VfsError(ESPIPE);
  const offset = checkedOffset(a.offset);
  return { data: transfer(r, file, 'read', a.data.length, () => file.vnode.read(offset, a.data)) };
}

/** O_APPEND on a seekable node: the vnode appends atomically (every writer, host ones included, is after or before). */
function appends(file: OpenFile): boolean {
  return (file.fdflags & FDFLAGS.append) !== 0 && file.vnode.seekable;
}

/** write; with O_APPEND the offset afterwards is the end of what was written (POSIX). */
export function sysWrite(r: Request, a: bsd.WriteIn): bsd.WriteOut {
  const { file } = fd(r, a, RIGHT.fdWrite);
  const v = file.vnode;
  if (!v.seekable) return { n: streamWrite(r, file, a.data) };
  return file.serialized(() => {
    if (appends(file)) {
      return { n: transfer(r, file, 'write', a.data.length, () => {
        const { written, end } = v.append(a.data);
        file.offset = end;
        return written;
      }) };
    }
    const n = transfer(r, file, 'write', a.data.length, () => v.write(file.offset, a.data));
    file.offset += n;
    return { n };
  });
}

/**
 * A write to a stream (a pipe, the console): on a blocking descriptor all of it, parking (with what
 * is done kept in the request) until there is room, as POSIX's write on a pipe does; on a
 * non-blocking one what fits, EAGAIN if nothing does. An error after some bytes went returns their
 * count (the error comes with the next write); EPIPE with none ends the process by SIGPIPE.
 */
function streamWrite(r: Request, file: OpenFile, data: Uint8Array): number {
  const blocking = (file.fdflags & FDFLAGS.nonblock) === 0;
  let done = (r.state as number | undefined) ?? 0;
  while (done < data.length) {
    let n = 0;
    try {
      n = file.vnode.write(0, data.subarray(done));
    } catch (e) {
      if (!(e instanceof VfsError)) throw e;
      if (e.errno !== EAGAIN && done > 0) return done; // the error comes with the next write
      if (e.errno === EPIPE) psignal(r.server, r.proc, SIGPIPE, 'write to a stream with no reader');
      if (e.errno !== EAGAIN) throw e;
    }
    if (n === 0) { // no room now
      if (blocking) {
        r.state = done;
        throw new Blocked([file.vnode.channel('write')]);
      }
      if (done > 0) return done;
      throw new VfsError(EAGAIN);
    }
    done += n;
  }
  return done;
}

/** pwrite; on an O_APPEND descriptor it appends, as Linux and wasmtime do, and leaves the offset alone. */
export function sysPwrite(r: Request, a: bsd.PwriteIn): bsd.PwriteOut {
  const { file } = fd(r, a, RIGHT.fdWrite | RIGHT.fdSeek);
  const v = file.vnode;
  if (!v.seekable) throw new VfsError(ESPIPE);
  const at = checkedOffset(a.offset);
  return { n: transfer(r, file, 'write', a.data.length, () => (appends(file) ? v.append(a.data).written : v.write(at, a.data))) };
}

export function sysClose(r: Request, a: bsd.CloseIn): void {
  r.proc.fds.close(a.fd);
}

/** lseek; (0, CUR) is a tell and needs only the tell right. */
export function sysLseek(r: Request, a: bsd.LseekIn): bsd.LseekOut {
  const { offset, whence } = a;
  const tell = offset === 0n && whence === WHENCE.cur;
  const { file } = fd(r, a, tell ? RIGHT.fdTell : RIGHT.fdSeek);
  if (!file.vnode.seekable) throw new VfsError(ESPIPE);
  return file.serialized(() => {
    const base = whence === WHENCE.set ? 0n : whence === WHENCE.cur ? BigInt(file.offset) : whence === WHENCE.end ? file.vnode.stat().size : -1n;
    if (base < 0n) throw new VfsError(EINVAL);
    file.offset = checkedOffset(base + offset);
    return { position: BigInt(file.offset) };
  });
}

export function sysFsync(r: Request, a: bsd.FsyncIn): void {
  fd(r, a, RIGHT.fdSync).file.vnode.sync();
}

export function sysFdatasync(r: Request, a: bsd.FdatasyncIn): void {
  fd(r, a, RIGHT.fdDatasync).file.vnode.sync();
}

/** A Stat as fstat's results (fstatat's are the same). */
export function statOut(s: Stat): bsd.FstatOut {
  return { dev: s.dev, ino: s.ino, filetype: s.filetype, nlink: s.nlink, size: s.size, atim: s.atim, mtim: s.mtim, ctim: s.ctim };
}

export function sysFstat(r: Request, a: bsd.FstatIn): bsd.FstatOut {
  return statOut(fd(r, a, RIGHT.fdFilestatGet).file.vnode.stat());
}

export function sysFtruncate(r: Request, a: bsd.FtruncateIn): void {
  fd(r, a, RIGHT.fdFilestatSetSize).file.vnode.setSize(checkedOffset(a.size));
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

export function sysFutimens(r: Request, a: bsd.FutimensIn): void {
  const { file } = fd(r, a, RIGHT.fdFilestatSetTimes);
  file.vnode.setTimes(...timesFrom(a.atim, a.mtim, a.fstflags));
}

export function sysFdstat(r: Request, a: bsd.FdstatIn): bsd.FdstatOut {
  const d = r.proc.fds.get(a.fd);
  return { filetype: d.file.vnode.filetype, fdflags: d.file.fdflags, rights: BigInt(d.rights), inheriting: BigInt(d.inheriting) };
}

/** WASI fd_fdstat_set_flags. */
export function sysFdSetFlags(r: Request, a: bsd.FdSetFlagsIn): void {
  const { file } = fd(r, a, RIGHT.fdFdstatSetFlags);
  if (a.fdflags & ~FDFLAGS_ALL) throw new VfsError(EINVAL);
  file.fdflags = a.fdflags;
  r.proc.fds.generation++; // the pipe table says whether a descriptor is non-blocking
}

const F_GETFD = 1;
const F_SETFD = 2;

/** fcntl's descriptor flags (F_GETFD, F_SETFD); the status flags are WASI's fdstat calls. */
export function sysFcntl(r: Request, a: bsd.FcntlIn): bsd.FcntlOut {
  const d = r.proc.fds.get(a.fd);
  if (a.cmd === F_GETFD) return { value: d.cloexec ? FD_CLOEXEC : 0 };
  if (a.cmd !== F_SETFD) throw new VfsError(EINVAL);
  d.cloexec = (a.arg & FD_CLOEXEC) !== 0;
  return { value: 0 };
}

/** Descriptor flags of dup and dup2: FD_CLOEXEC alone. */
function cloexecFlag(fdflags: number): boolean {
  if (fdflags & ~FD_CLOEXEC) throw new VfsError(EINVAL);
  return fdflags === FD_CLOEXEC;
}

export function sysDup(r: Request, a: bsd.DupIn): bsd.DupOut {
  return { newfd: r.proc.fds.dup(a.fd, a.min, cloexecFlag(a.fdflags)) };
}

export function sysDup2(r: Request, a: bsd.Dup2In): void {
  r.proc.fds.dup2(a.from, a.to, cloexecFlag(a.fdflags));
}

/** Rights can only be dropped. */
export function sysFdSetRights(r: Request, a: bsd.FdSetRightsIn): void {
  const d = r.proc.fds.get(a.fd);
  const rights = rightsArg(a.rights);
  const inheriting = rightsArg(a.inheriting);
  checkWithin(rights, inheriting, d.rights, d.inheriting);
  d.rights = rights;
  d.inheriting = inheriting;
  r.proc.fds.generation++; // and which way it may move data
}

/** Advice is accepted and ignored (it cannot change results), after checking it. */
export function sysFadvise(r: Request, a: bsd.FadviseIn): void {
  const { file } = fd(r, a, RIGHT.fdAdvise);
  checkedOffset(a.offset);
  checkedOffset(a.len);
  if (a.advice < 0 || a.advice > ADVICE_MAX) throw new VfsError(EINVAL);
  if (!file.vnode.seekable) throw new VfsError(ESPIPE);
}

/** posix_fallocate: make the file at least offset+len long. */
export function sysFallocate(r: Request, a: bsd.FallocateIn): void {
  const { file } = fd(r, a, RIGHT.fdAllocate);
  const offset = checkedOffset(a.offset);
  const len = checkedOffset(a.len);
  if (len === 0) throw new VfsError(EINVAL);
  const end = checkedOffset(BigInt(offset) + BigInt(len));
  if (end > Number(file.vnode.stat().size)) file.vnode.setSize(end);
}

export function sysRenumber(r: Request, a: bsd.RenumberIn): void {
  r.proc.fds.renumber(a.from, a.to);
}

/** pipe: a read end and a write end, each a stream descriptor with the rights of its direction. */
export function sysPipe(r: Request, a: bsd.PipeIn): bsd.PipeOut {
  if (a.fdflags & ~FDFLAGS.nonblock) throw new VfsError(EINVAL);
  const fds = r.proc.fds;
  const [readEnd, writeEnd] = r.server.pipes.create();
  const readFile = new OpenFile(readEnd, a.fdflags);
  const writeFile = new OpenFile(writeEnd, a.fdflags);
  let readfd = -1;
  try {
    readfd = fds.install({ file: readFile, rights: RIGHTS_TTY & ~RIGHT.fdWrite, inheriting: 0 });
    return { readfd, writefd: fds.install({ file: writeFile, rights: RIGHTS_TTY & ~RIGHT.fdRead, inheriting: 0 }) };
  } catch (e) {
    // EMFILE: install dropped the one it could not place; neither end is left open
    if (readfd >= 0) fds.close(readfd);
    else writeFile.drop();
    throw e;
  }
}

/** pipe_notify: wake the calls the server parked on the pipe of `fd` (a task moved data through its ring). */
export function sysPipeNotify(r: Request, a: bsd.PipeNotifyIn): void {
  const v = r.proc.fds.get(a.fd).file.vnode;
  if (!(v instanceof PipeEnd)) throw new VfsError(EINVAL);
  v.notify();
}
