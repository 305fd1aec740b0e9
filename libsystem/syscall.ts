// The task library's path to the personality server: arguments go into message registers, byte data
// into this process's message window (a frame of machine memory the server reads and writes in
// place, so data crosses once between the program's memory and the window), and one kernel call
// reaches the server (birch-2005 ch. 6, arguments in registers). The stubs that pack each call are
// generated from abi/bsd.defs into bsd_user.ts; this is the call they all make.
import { Kernel, tag, tagLabel, tagWords } from '../kernel-as/bindings/kernel.js';
import { OK, TIMEOUT_NEVER, ERROR_NAMES } from '../kernel-as/bindings/abi.js';
import { SERVER_CAP } from '../abi/bsd.js';

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

  /**
   * The call `label` with `words` argument words already in MR1.. (the generated stubs in
   * bsd_user.ts put them there); returns the errno: the label of a reply without out words, else MR1.
   */
  send(label: number, words: number): number {
    const k = this.k;
    k.setMr(0, tag(label, words));
    const r = k.x.ipc_call(SERVER_CAP, TIMEOUT_NEVER);
    if (r !== OK) throw new ServerLost(`system call ${label}: ${ERROR_NAMES[r] ?? r}`);
    const mr0 = k.mr(0);
    return tagWords(mr0) === 0 ? tagLabel(mr0) : k.mr(1);
  }

  /** Report a trap as exception IPC to the task's handler (the server); it decides the process's fate. */
  trap(code: number): void {
    this.k.setMessage(0, [code]);
    const r = this.k.x.exception_raise();
    if (r !== OK) throw new ServerLost(`exception: ${ERROR_NAMES[r] ?? r}`);
  }
}
