// System-call stubs of the task library: arguments go into message registers, bulk data is copied
// once from the program's memory into this thread's message buffer in machine memory, and one
// kernel call reaches the personality server (birch-2005 ch. 6, arguments in registers).
import { Kernel } from '../kernel-as/bindings/kernel.js';
import { OK, TIMEOUT_NEVER, ERROR_NAMES } from '../kernel-as/bindings/abi.js';
import { SERVER_CAP, SYS } from '../personality/interfaces/bsd.js';
import { EIO } from '../personality/interfaces/errno.js';

/** The server could not be reached: the process cannot continue (its server is gone). */
export class ServerLost extends Error {}

export class Syscalls {
  /**
   * This thread's message buffer in machine memory: fill it, then call write(). The host allocated it
   * before the task started, so it lies inside the memory as this worker first sees it, and a shared
   * memory never moves: the view stays valid when the memory grows.
   */
  readonly out: Uint8Array;

  constructor(readonly k: Kernel, private msgBuf: number, readonly msgLen: number) {
    this.out = new Uint8Array(k.memory.buffer, msgBuf, msgLen);
  }

  private call(label: number, args: readonly number[], bulkLen = -1): void {
    this.k.setMessage(label, args, bulkLen >= 0);
    if (bulkLen >= 0) {
      this.k.setMr(args.length + 1, this.msgBuf);
      this.k.setMr(args.length + 2, bulkLen);
    }
    const r = this.k.x.ipc_call(SERVER_CAP, TIMEOUT_NEVER);
    if (r !== OK) throw new ServerLost(`system call ${label}: ${ERROR_NAMES[r] ?? r}`);
  }


  null(): number {
    this.call(SYS.null, []);
    return this.k.mr(1);
  }

  /** Write the first `len` bytes of `out` to `fd`; returns [errno, written]. */
  write(fd: number, len: number): [number, number] {
    if (len > this.msgLen) return [EIO, 0];
    this.call(SYS.write, [fd], len);
    return [this.k.mr(1), this.k.mr(2)];
  }

  exit(status: number): void {
    this.call(SYS.exit, [status]);
  }

  /** Report a trap as exception IPC to the task's handler (the server); it decides the process's fate. */
  trap(code: number): void {
    this.k.setMessage(0, [code]);
    const r = this.k.x.exception_raise();
    if (r !== OK) throw new ServerLost(`exception: ${ERROR_NAMES[r] ?? r}`);
  }
}
