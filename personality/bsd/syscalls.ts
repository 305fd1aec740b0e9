// The BSD system-call table: number -> name, spec and handler, with one handler signature. A handler
// decodes and checks its arguments through the Request (words, 64-bit pairs, paths and data in the
// caller's window), then acts; it returns the result words and throws VfsError for an errno, or
// Blocked when the call must wait (the dispatcher in server.ts parks it). Unknown numbers get ENOSYS
// there, and the trace hook is there too.
import { SYSCALL_SPECS, type CallSpec, type SysName } from '../interfaces/bsd.js';
import { EFAULT, EILSEQ } from '../interfaces/errno.js';
import { VfsError } from '../vfs/vnode.js';
import type { Process } from './proc.js';
import type { Personality } from '../server.js';
import { sysNull, sysExit, sysKill } from './sys_proc.js';
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
  /** performance.now() when the call first arrived (a parked call keeps it). */
  readonly started = performance.now();
  private offsets: number[] = [];
  private dataAt = 0;

  constructor(readonly proc: Process, readonly spec: CallSpec, readonly args: readonly number[], readonly server: Personality) {
    let word = 0;
    for (const decl of spec.args) {
      if (decl.startsWith('path')) {
        this.offsets.push(this.dataAt);
        this.dataAt += args[word] >>> 0;
      }
      word += decl.startsWith('u64') || decl.startsWith('s64') ? 2 : 1;
    }
  }

  word(i: number): number {
    return this.args[i] >>> 0;
  }

  int(i: number): number {
    return this.args[i] | 0;
  }

  u64(i: number): bigint {
    return (BigInt(this.args[i + 1] >>> 0) << 32n) | BigInt(this.args[i] >>> 0);
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

  /** The k-th path argument (EILSEQ when it is not UTF-8). */
  path(k: number): string {
    const at = this.offsets[k];
    const end = this.offsets[k + 1] ?? this.dataAt;
    try {
      return decoder.decode(this.bytes(at, end - at));
    } catch (e) {
      if (e instanceof VfsError) throw e;
      throw new VfsError(EILSEQ);
    }
  }

  /** The data the caller put after its paths, `len` bytes. */
  data(len: number): Uint8Array {
    return this.bytes(this.dataAt, len);
  }

  /** Room in the window for results, from offset 0. */
  out(len: number): Uint8Array {
    return this.bytes(0, Math.min(len, this.proc.window.length));
  }
}

/** Result words: MR2.. of the reply (the dispatcher puts the errno in MR1). */
export type Handler = (r: Request) => readonly number[];

/** A 64-bit result as two words. */
export function u64Words(x: bigint | number): [number, number] {
  const v = BigInt.asUintN(64, BigInt(x));
  return [Number(v & 0xffffffffn) | 0, Number(v >> 32n) | 0];
}

const HANDLERS: Readonly<Record<SysName, Handler>> = {
  null: sysNull,
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
}

export const SYSCALLS: ReadonlyMap<number, SyscallEntry> = new Map(
  (Object.keys(SYSCALL_SPECS) as SysName[]).map((name) => [SYSCALL_SPECS[name].number, { name, spec: SYSCALL_SPECS[name], handler: HANDLERS[name] }]),
);
