// The task library's fast path for the standard streams (a fastpath in seL4's sense: optional, and
// invisible but for speed): fd_read of the console's input and fd_write of its output straight through
// the console's rings in machine memory (abi/ring.ts), one copy between program
// memory and the ring, no system call, and a sleep on the ring only when it is empty or full. The
// output ring is the machine's, shared by every process: each record goes in under its writer lock. Used
// only while the commpage's console word says the descriptor is still the plain console stream; any
// other case (another descriptor, tracing, a broken output, a read or write of nothing) returns
// undefined, and the caller makes the system call, which the server answers as before.
import { ESUCCESS, INTERRUPTED } from '../abi/errno.js';
import { Ring, CONSOLE_RING_BYTES, RING_CLOSED, RING_WANT, ringBroken } from '../abi/ring.js';
import { COMMPAGE } from '../abi/commpage.js';
import type { Commpage } from './commpage.js';
import type { UserMemory } from './uaccess.js';
import type { Signals } from './signals.js';

/** The console stream descriptor `fd` is now (0 input, 1 output, 2 error), or -1. */
function streamOf(page: Commpage, fd: number): number {
  return fd >= 0 && fd < 3 ? ((page.console >>> (4 * fd)) & 0xf) - 1 : -1;
}

export class ConsoleRings {
  private input: Ring;
  private output: Ring;

  constructor(private page: Commpage, private mem: UserMemory, private signals: Signals) {
    this.input = new Ring(page.memory.buffer, page.inputRing, CONSOLE_RING_BYTES);
    this.output = new Ring(page.memory.buffer, page.outputRing, CONSOLE_RING_BYTES, true); // the machine's: several writers may sleep on it
  }

  /** The program's buffers named by the iovecs (checked before anything moves), or undefined if they hold nothing. */
  private buffers(iovs: number, count: number): Uint8Array[] | undefined {
    const views = this.mem.iovecs(iovs, count).map(([ptr, len]) => this.mem.bytes(ptr, len));
    return views.some((v) => v.length > 0) ? views : undefined;
  }

  /** fd_write to a console output, or undefined for the system call. */
  write(fd: number, iovs: number, count: number, out: number): number | undefined {
    const stream = streamOf(this.page, fd);
    if (stream < 1) return undefined;
    const views = this.buffers(iovs, count);
    if (!views) return undefined;
    const broken = ringBroken(stream);
    let total = 0;
    for (const view of views) {
      for (let done = 0; done < view.length; ) {
        if ((this.output.flags() & broken) !== 0) {
          if (total === 0) return undefined; // the server answers EPIPE and raises SIGPIPE
          return this.done(out, total);
        }
        const n = this.put(stream, done === 0 ? view : view.subarray(done));
        if (n === 0) this.waitForRoom(broken);
        done += n;
        total += n;
      }
    }
    return this.done(out, total);
  }

  /** fd_read of the console input, or undefined for the system call. Waits for at least one byte or the end. */
  read(fd: number, iovs: number, count: number, out: number): number | undefined {
    if (streamOf(this.page, fd) !== 0) return undefined;
    const views = this.buffers(iovs, count);
    if (!views) return undefined;
    for (;;) {
      let total = 0;
      for (const view of views) {
        const n = this.input.take(view);
        total += n;
        if (n < view.length) break;
      }
      if (total > 0 || this.ended()) return this.done(out, total);
      if (this.waitForInput()) return INTERRUPTED;
    }
  }

  /** One record into the machine's output ring, under its writer lock (held only while a writer copies). */
  private put(stream: number, bytes: Uint8Array): number {
    const pid = this.page.words[COMMPAGE.pid >> 2];
    while (!this.output.lock(pid)) {}
    const n = this.output.putRecord(stream, bytes);
    this.output.unlock(pid);
    return n;
  }

  private done(out: number, total: number): number {
    this.mem.setU32(out, total);
    return ESUCCESS;
  }

  private ended(): boolean {
    return (this.input.flags() & RING_CLOSED) !== 0 && this.input.used() === 0;
  }

  /** Sleep until the host makes room in the output ring or its reader has gone. */
  private waitForRoom(broken: number): void {
    const seq = this.output.prepareWait('writer');
    if (this.output.canPutRecord() || (this.output.flags() & broken) !== 0) return;
    this.output.wait('writer', seq);
  }

  /** Ask the host for input and sleep until some comes or it ends; true if a caught signal came instead. */
  private waitForInput(): boolean {
    const seq = this.input.prepareWait('reader');
    this.input.signal('reader', RING_WANT);
    if (this.input.used() > 0 || this.ended()) return false;
    return this.signals.sleepOn(this.input, 'reader', seq);
  }
}
