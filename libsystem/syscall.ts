// System-call stubs of the task library: arguments go into message registers, byte data into this
// process's message window (a frame of machine memory the server reads and writes in place, so data
// crosses once between the program's memory and the window), and one kernel call reaches the
// personality server (birch-2005 ch. 6, arguments in registers). The call numbers and word layouts
// are those of personality/interfaces/bsd.ts.
import { Kernel, tag, tagLabel, tagWords } from '../kernel-as/bindings/kernel.js';
import { OK, TIMEOUT_NEVER, ERROR_NAMES } from '../kernel-as/bindings/abi.js';
import { SERVER_CAP, wordsU64 } from '../personality/interfaces/bsd.js';

/** The server could not be reached: the process cannot continue (its server is gone). */
export class ServerLost extends Error {}

export class Syscalls {
  /**
   * The message window. The host allocated it before the task started, so it lies inside the memory
   * as this worker first sees it, and a shared memory never moves: the view stays valid when it grows.
   */
  readonly window: Uint8Array;

  constructor(readonly k: Kernel, windowAddr: number, readonly windowLen: number) {
    this.window = new Uint8Array(k.memory.buffer, windowAddr, windowLen);
  }

  /** Call `label` with argument words; returns the errno (results: result(i), resultU64(i)). */
  call(label: number, args: readonly number[]): number {
    this.k.setMessage(label, args);
    return this.send(label);
  }

  /** call() with two argument words, without an array (read and write take this path). */
  call2(label: number, a: number, b: number): number {
    const k = this.k;
    k.setMr(0, tag(label, 2));
    k.setMr(1, a);
    k.setMr(2, b);
    return this.send(label);
  }

  /** The call; its errno: the label of a reply without results, else MR1 (interfaces/bsd.ts). */
  private send(label: number): number {
    const r = this.k.x.ipc_call(SERVER_CAP, TIMEOUT_NEVER);
    if (r !== OK) throw new ServerLost(`system call ${label}: ${ERROR_NAMES[r] ?? r}`);
    const mr0 = this.k.mr(0);
    return tagWords(mr0) === 0 ? tagLabel(mr0) : this.k.mr(1);
  }

  /** Result word i (after the errno). */
  result(i: number): number {
    return this.k.mr(2 + i) >>> 0;
  }

  resultU64(i: number): bigint {
    return wordsU64(this.k.mr(2 + i), this.k.mr(3 + i));
  }

  /** Report a trap as exception IPC to the task's handler (the server); it decides the process's fate. */
  trap(code: number): void {
    this.k.setMessage(0, [code]);
    const r = this.k.x.exception_raise();
    if (r !== OK) throw new ServerLost(`exception: ${ERROR_NAMES[r] ?? r}`);
  }
}
