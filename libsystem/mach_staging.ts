// The task library's mach_msg (the import the SDK's mach_msg calls): a message that fits the
// thread's message window goes in it; a larger one (megabytes of out-of-line memory) is copied into
// the process's staging buffer, a run of machine memory the server hands out (mach_msg_stage), and a
// received message too large for the window is left there: the call then answers E2BIG with its
// length, and mach_msg_staged copies it into a buffer the program made that large.
import { E2BIG, EINVAL, ESUCCESS } from '../abi/errno.js';
import type { Syscalls } from './syscall.js';
import type { UserMemory } from './uaccess.js';
import * as mach from './mach_user.js';
import { MACH_SEND_TOO_LARGE } from '../abi/mach.js';

export class MachStaging {
  /** The message the last receive left in the staging buffer, for mach_msg_staged. */
  private staged?: { addr: number; len: number };

  constructor(private sys: Syscalls, private mem: UserMemory) {}

  /**
   * mach_msg: send the `msgLen` bytes at `msg` and/or receive into the `replyRoom` bytes at `reply`;
   * the kern_return_t at `krOut`, the bytes received at `replyLenOut` (with E2BIG: the bytes the
   * staged message needs).
   */
  msg(option: number, msg: number, msgLen: number, rcvSize: number, rcvName: number, timeout: number, krOut: number, reply: number, replyRoom: number, replyLenOut: number): number {
    this.mem.bytes(krOut, 4);
    this.mem.bytes(replyLenOut, 4);
    this.mem.bytes(reply, replyRoom);
    let data: Uint8Array | number = this.mem.bytes(msg, msgLen);
    let staged = 0;
    if (msgLen > this.sys.windowLen) {
      const s = mach.mach_msg_stage(this.sys, msgLen);
      if (s.errno !== ESUCCESS) return s.errno;
      if (s.kr !== 0) {
        this.mem.setU32(krOut, MACH_SEND_TOO_LARGE); // larger than a staging buffer may be
        this.mem.setU32(replyLenOut, 0);
        return ESUCCESS;
      }
      new Uint8Array(this.sys.k.memory.buffer, s.staging, msgLen).set(data);
      [data, staged] = [new Uint8Array(0), msgLen];
    }
    const r = mach.mach_msg(this.sys, option, data, staged, rcvSize, rcvName, timeout, replyRoom);
    if (r.errno !== ESUCCESS) return r.errno;
    this.mem.setU32(krOut, r.kr);
    if (r.staged_reply) {
      this.staged = { addr: r.staging, len: r.staged_reply };
      this.mem.setU32(replyLenOut, r.staged_reply);
      return E2BIG;
    }
    this.mem.copyOut(reply, r.reply);
    this.mem.setU32(replyLenOut, r.reply.length);
    return ESUCCESS;
  }

  /** Copy the message the last receive staged into the `len` bytes at `into` (EINVAL: none, or another length). */
  take(into: number, len: number): number {
    const s = this.staged;
    if (!s || len !== s.len) return EINVAL;
    this.mem.copyOut(into, new Uint8Array(this.sys.k.memory.buffer, s.addr, len));
    this.staged = undefined;
    return ESUCCESS;
  }
}
