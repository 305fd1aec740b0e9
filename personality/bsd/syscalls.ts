// The BSD system-call table: number -> name, spec and handler, with one handler signature. A handler
// decodes and checks its arguments through the Request (words, 64-bit pairs, paths and data in the
// caller's window), then acts; it returns the result words and throws VfsError for an errno, or
// Blocked when the call must wait (the dispatcher in server.ts parks it). Unknown numbers get ENOSYS
// there, and the trace hook is there too.
import { SYSCALL_SPECS, declWords, wordsU64, type CallSpec, type SysName } from '../interfaces/bsd.js';
import { EFAULT, EILSEQ, ENOTCAPABLE } from '../interfaces/errno.js';
import { RIGHTS_ALL } from '../interfaces/wasi.js';
import { VfsError } from '../vfs/vnode.js';
import type { Process } from './proc.js';
import type { Personality } from '../server.js';
import { sysNull, sysExit, sysKill, sysTrace } from './sys_proc.js';
import * as file from './sys_file.js';
import * as dir from './sys_dir.js';
import * as path from './sys_path.js';
import { sysPoll } from './sys_poll.js';
import { sysSocket } from './sys_socket.js';

const decoder = new TextDecoder('utf-8', { fatal: true });

/** The call cannot complete yet: retry it when something changes, or at `wakeAt` (performance.now() ms). */
export class Blocked {
  constructor(readonly wakeAt?: number) {}
}

/** One call as the server received it. Paths and data lie in the window in argument order. */
export class Request {
  private firstSeen = -1;

  constructor(readonly proc: Process, readonly entry: SyscallEntry, readonly args: readonly number[], readonly server: Personality) {}

  /** performance.now() when a handler first asked (a parked call keeps it): where its timeout counts from. */
  get started(): number {
    if (this.firstSeen < 0) this.firstSeen = performance.now();
    return this.firstSeen;
  }

  word(i: number): number {
    return this.args[i] >>> 0;
  }

  u64(i: number): bigint {
    return wordsU64(this.args[i], this.args[i + 1]);
  }

  /** A WASI rights argument (u64 at word i): ENOTCAPABLE for bits no right has. */
  rights(i: number): number {
    const lo = this.args[i] >>> 0;
    if (this.args[i + 1] !== 0 || lo > RIGHTS_ALL) throw new VfsError(ENOTCAPABLE);
    return lo;
  }

  s64(i: number): bigint {
    return BigInt.asIntN(64, this.u64(i));
  }

  /** `len` bytes of the window at `at`, or EFAULT. */
  bytes(at: number, len: number): Uint8Array {
    const w = this.proc.window;
    if (at + len > w.length) throw new VfsError(EFAULT);
    return w.subarray(at, at + len);
  }

  /** Window offset where the k-th path starts (k = number of paths: where the data starts). */
  private pathStart(k: number): number {
    let at = 0;
    for (let i = 0; i < k; i++) at += this.args[this.entry.pathWords[i]] >>> 0;
    return at;
  }

  /** The k-th path argument (EILSEQ when it is not UTF-8). */
  path(k: number): string {
    const at = this.pathStart(k);
    const bytes = this.bytes(at, this.args[this.entry.pathWords[k]] >>> 0);
    try {
      return decoder.decode(bytes.slice()); // a copy: browsers refuse to decode views of shared memory
    } catch {
      throw new VfsError(EILSEQ);
    }
  }

  /** The data the caller put after its paths, `len` bytes. */
  data(len: number): Uint8Array {
    return this.bytes(this.pathStart(this.entry.pathWords.length), len);
  }

  /** Room in the window for results, from offset 0. */
  out(len: number): Uint8Array {
    return this.bytes(0, Math.min(len, this.proc.window.length));
  }
}

/** Result words: MR2.. of the reply (the dispatcher puts the errno in MR1, or in the label of a reply without results). */
export type Handler = (r: Request) => readonly number[];

const HANDLERS: Readonly<Record<SysName, Handler>> = {
  null: sysNull,
  trace: sysTrace,
  exit: sysExit,
  kill: sysKill,
  read: file.sysRead,
  write: file.sysWrite,
  pread: file.sysPread,
  pwrite: file.sysPwrite,
  close: file.sysClose,
  lseek: file.sysLseek,
  fsync: file.sysFsync,
  fdatasync: file.sysFdatasync,
  fstat: file.sysFstat,
  ftruncate: file.sysFtruncate,
  futimens: file.sysFutimens,
  fdstat: file.sysFdstat,
  fcntl: file.sysFcntl,
  fd_set_rights: file.sysFdSetRights,
  fadvise: file.sysFadvise,
  fallocate: file.sysFallocate,
  renumber: file.sysRenumber,
  prestat: dir.sysPrestat,
  prestat_dir_name: dir.sysPrestatDirName,
  getdirentries: dir.sysGetdirentries,
  openat: path.sysOpenat,
  mkdirat: path.sysMkdirat,
  unlinkat: path.sysUnlinkat,
  renameat: path.sysRenameat,
  linkat: path.sysLinkat,
  symlinkat: path.sysSymlinkat,
  readlinkat: path.sysReadlinkat,
  fstatat: path.sysFstatat,
  utimensat: path.sysUtimensat,
  poll: sysPoll,
  recvfrom: sysSocket,
  accept: sysSocket,
  sendto: sysSocket,
  shutdown: sysSocket,
};

export interface SyscallEntry {
  name: SysName;
  spec: CallSpec;
  handler: Handler;
  /** Word indices of the path arguments, in order. */
  pathWords: readonly number[];
}

/** The word index of each path argument of `spec`. */
function pathWords(spec: CallSpec): number[] {
  const out: number[] = [];
  let word = 0;
  for (const decl of spec.args) {
    if (decl.startsWith('path')) out.push(word);
    word += declWords(decl);
  }
  return out;
}

export const SYSCALLS: ReadonlyMap<number, SyscallEntry> = new Map(
  (Object.keys(SYSCALL_SPECS) as SysName[]).map((name) => {
    const spec = SYSCALL_SPECS[name];
    return [spec.number, { name, spec, handler: HANDLERS[name], pathWords: pathWords(spec) }];
  }),
);
