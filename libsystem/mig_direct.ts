// The task library's half of the direct binding (personality/mach/direct.ts; lepreau-1993 section 5):
// a client's stub calls the thread serving a port with one kernel IPC, the request message in the
// caller's message window (MR1 its address, MR2 its length, MR3 the window's room for the reply), and
// the serving thread's library copies it into the program, runs it, and writes the reply back into
// that window (MR1 its length) as it replies and waits for the next request, in one kernel entry.
// The server is not on this path; it only notifies a serving thread that full messages wait.
import { tag, tagLabel } from '../kernel-as/bindings/kernel.js';
import { OK, TIMEOUT_NEVER, TAG_NOTIFY } from '../kernel-as/bindings/abi.js';
import type { Syscalls } from './syscall.js';
import type { UserMemory } from './uaccess.js';

/** The request label of a direct call, and the reply labels (direct.ts NOT_SERVED: the receiver serves another port). */
const DIRECT_CALL = 1;
const DONE = 0;
const NOT_SERVED = 1;

/** mig_direct_call's results: the reply is in place; the port's queue is not empty (send a full message); the binding is stale (rebind). */
export const DIRECT_DONE = 0;
export const DIRECT_BUSY = 1;
export const DIRECT_STALE = 2;
/** mig_serve_wait's results: a direct request is in the program's buffer; full messages wait (receive them); the wait failed. */
export const SERVE_REQUEST = 1;
export const SERVE_MESSAGES = 2;
export const SERVE_FAILED = 3;

export class DirectBinding {
  /** The client whose direct request the program is serving (its thread and window), until the reply goes. */
  private client?: { tid: number; window: number; room: number };

  constructor(private sys: Syscalls, private mem: UserMemory) {}

  /** Call the serving thread through capability `slot` with the request at `req` (DIRECT_DONE: its reply is at `reply`). */
  call(slot: number, status: number, req: number, reqLen: number, reply: number, replyRoom: number, replyLenOut: number): number {
    const k = this.sys.k;
    if (status % 4 !== 0 || status < 0 || status + 4 > k.memory.buffer.byteLength) return DIRECT_STALE;
    const word = Atomics.load(new Int32Array(k.memory.buffer, status, 1), 0);
    if (word !== 0) return word < 0 ? DIRECT_STALE : DIRECT_BUSY;
    const window = this.sys.window;
    if (reqLen > window.length) return DIRECT_BUSY;
    window.set(this.mem.bytes(req, reqLen));
    k.setMr(0, tag(DIRECT_CALL, 3));
    k.setMr(1, window.byteOffset);
    k.setMr(2, reqLen);
    k.setMr(3, window.length);
    if (k.x.ipc_call(slot, TIMEOUT_NEVER) !== OK || tagLabel(k.mr(0)) !== DONE) return DIRECT_STALE;
    const len = Math.min(k.mr(1) >>> 0, replyRoom, window.length);
    this.mem.copyOut(reply, window.subarray(0, len));
    this.mem.setU32(replyLenOut, len);
    return DIRECT_DONE;
  }

  /**
   * Reply to the client being served with the `replyLen` bytes at `reply` (none: no reply), then wait
   * for the next request to port `id`: SERVE_REQUEST with it at `req`, or SERVE_MESSAGES when full
   * messages wait (the port's status word, at `status`, counts them: no call to the server to look).
   * A call for another port is answered NOT_SERVED and the wait goes on.
   */
  wait(id: number, status: number, req: number, reqRoom: number, reqLenOut: number, reply: number, replyLen: number): number {
    const k = this.sys.k;
    if (status % 4 !== 0 || status < 0 || status + 4 > k.memory.buffer.byteLength) return SERVE_FAILED;
    const queued = new Int32Array(k.memory.buffer, status, 1);
    let to = 0;
    if (this.client) {
      const c = this.client;
      this.client = undefined;
      const len = Math.min(replyLen, c.room);
      new Uint8Array(k.memory.buffer, c.window, len).set(this.mem.bytes(reply, len));
      k.setMr(0, tag(DONE, 1));
      k.setMr(1, len);
      to = c.tid;
    }
    for (;;) {
      if (to === 0 && Atomics.load(queued, 0) > 0) return SERVE_MESSAGES;
      if (k.x.ipc_reply_wait(to, TIMEOUT_NEVER) !== OK) return SERVE_FAILED;
      to = 0;
      if (k.mr(0) & TAG_NOTIFY) continue; // full messages came: the status word says whether they wait still
      const window = k.mr(1) >>> 0;
      const len = k.mr(2) >>> 0;
      const room = k.mr(3) >>> 0;
      const fits = len <= reqRoom && window + Math.max(len, room) <= k.memory.buffer.byteLength;
      if (k.badge !== id || tagLabel(k.mr(0)) !== DIRECT_CALL || !fits) {
        k.setMr(0, tag(NOT_SERVED, 0));
        to = k.sender;
        continue;
      }
      this.mem.copyOut(req, new Uint8Array(k.memory.buffer, window, len));
      this.mem.setU32(reqLenOut, len);
      this.client = { tid: k.sender, window, room };
      return SERVE_REQUEST;
    }
  }
}
