// The task library's fast path for pipes: fd_read and fd_write of a pipe end straight through its
// ring in machine memory (abi/ring.ts), as the server would move the data
// (personality/vfs/pipe.ts) but without a system call: one copy between the program's memory and the
// ring. Writers take the ring's writer lock around each put, so a write of at most PIPE_BUF bytes
// goes in whole, whichever process writes beside it; a blocking call sleeps on the ring while it is
// empty (or full) and sees the last writer (or reader) go in its flags. Used only while the
// commpage's fast-path table names the descriptor's ring; anything else (a reader gone: the server answers
// EPIPE and SIGPIPE; a call that moves nothing; tracing) returns undefined, and the caller makes the
// system call. When the server has parked a call on the pipe (the ring says so), it is told.
import { EAGAIN, ESUCCESS, INTERRUPTED } from '../abi/errno.js';
import { PIPE_BUF, PIPE_RING_BYTES, Ring, RING_CLOSED, RING_NO_READERS, RING_SERVER_WAITS } from '../abi/ring.js';
import { FAST_FILE } from '../abi/file_window.js';
import { COMMPAGE, PIPE_NONBLOCK, PIPE_READ, PIPE_RING_MASK, FASTPATH_SLOTS, PIPE_WRITE } from '../abi/commpage.js';
import * as bsd from './bsd_user.js';
import type { Commpage } from './commpage.js';
import type { Syscalls } from './syscall.js';
import type { UserMemory } from './uaccess.js';
import type { Signals } from './signals.js';

/** Polls of the ring before sleeping: a partner on another core usually makes progress sooner than a sleeper wakes. */
const SPIN = 20_000;

export class PipeRings {
  private rings = new Map<number, Ring>();
  /** A small write gathered from several iovecs, to go in whole. */
  private gathered = new Uint8Array(PIPE_BUF);
  private readonly table: Int32Array;

  constructor(private page: Commpage, private mem: UserMemory, private sys: Syscalls, private signals: Signals) {
    this.table = new Int32Array(page.memory.buffer, page.words.byteOffset + COMMPAGE.fastpath, FASTPATH_SLOTS);
  }

  /** The fast-path table's word for `fd` if it names a pipe's ring (0: not a pipe end this library may serve). */
  private slot(fd: number): number {
    const slot = fd >= 0 && fd < FASTPATH_SLOTS ? Atomics.load(this.table, fd) : 0;
    return (slot & FAST_FILE) === 0 ? slot : 0;
  }

  private ring(slot: number): Ring {
    const addr = slot & PIPE_RING_MASK;
    let ring = this.rings.get(addr);
    if (!ring) this.rings.set(addr, (ring = new Ring(this.page.memory.buffer, addr, PIPE_RING_BYTES, true)));
    return ring;
  }

  /** The program's buffers named by the iovecs (checked before anything moves), or undefined if they hold nothing. */
  private buffers(iovs: number, count: number): Uint8Array[] | undefined {
    const views = this.mem.iovecs(iovs, count).map(([ptr, len]) => this.mem.bytes(ptr, len));
    return views.some((v) => v.length > 0) ? views : undefined;
  }

  /** fd_write to a pipe, or undefined for the system call. */
  write(fd: number, iovs: number, count: number, out: number): number | undefined {
    const slot = this.slot(fd);
    if ((slot & PIPE_WRITE) === 0) return undefined;
    let views = this.buffers(iovs, count);
    if (!views) return undefined;
    const ring = this.ring(slot);
    const nonblock = (slot & PIPE_NONBLOCK) !== 0;
    const length = views.reduce((n, v) => n + v.length, 0);
    if (length <= PIPE_BUF && views.length > 1) views = [this.gather(views, length)]; // atomic: one put
    let total = 0;
    for (const view of views) {
      for (let done = 0; done < view.length; ) {
        if ((ring.flags() & RING_NO_READERS) !== 0) return total === 0 ? undefined : this.done(out, total);
        const n = this.put(ring, fd, view.subarray(done));
        if (n === 0) {
          if (nonblock) return total === 0 ? EAGAIN : this.done(out, total);
          const interrupted = this.waitFor(ring, 'writer', () => this.fits(ring, view.length - done) || (ring.flags() & RING_NO_READERS) !== 0);
          if (interrupted) return total === 0 ? INTERRUPTED : this.done(out, total);
        }
        done += n;
        total += n;
      }
    }
    return this.done(out, total);
  }

  /** fd_read of a pipe, or undefined for the system call: at least one byte, or 0 once every writer has gone. */
  read(fd: number, iovs: number, count: number, out: number): number | undefined {
    const slot = this.slot(fd);
    if ((slot & PIPE_READ) === 0) return undefined;
    const views = this.buffers(iovs, count);
    if (!views) return undefined;
    const ring = this.ring(slot);
    for (;;) {
      let total = 0;
      for (const view of views) {
        const n = ring.take(view);
        total += n;
        if (n < view.length) break;
      }
      if (total > 0) {
        this.tellServer(ring, fd);
        return this.done(out, total);
      }
      if (this.ended(ring)) return this.done(out, 0);
      if ((slot & PIPE_NONBLOCK) !== 0) return EAGAIN;
      if (this.waitFor(ring, 'reader', () => ring.used() > 0 || this.ended(ring))) return INTERRUPTED;
    }
  }

  private ended(ring: Ring): boolean {
    return (ring.flags() & RING_CLOSED) !== 0 && ring.used() === 0;
  }

  /** Whether a write of `left` more bytes can put some now (all of it, up to PIPE_BUF). */
  private fits(ring: Ring, left: number): boolean {
    return ring.room() >= Math.min(left, PIPE_BUF);
  }

  /** Put what may go now under the writers' lock (all of `bytes` up to PIPE_BUF, or none); how much. */
  private put(ring: Ring, fd: number, bytes: Uint8Array): number {
    const pid = this.page.words[COMMPAGE.pid >> 2];
    while (!ring.lock(pid)) {} // held only while another writer copies
    const room = ring.room();
    const n = bytes.length <= PIPE_BUF ? (room >= bytes.length ? bytes.length : 0) : Math.min(room, bytes.length);
    if (n > 0) ring.put(n === bytes.length ? bytes : bytes.subarray(0, n));
    ring.unlock(pid);
    if (n > 0) this.tellServer(ring, fd);
    return n;
  }

  /** Sleep as `side` until `ready()` holds (polling a while first); true if a caught signal came first. */
  private waitFor(ring: Ring, side: 'reader' | 'writer', ready: () => boolean): boolean {
    for (let i = 0; i < SPIN; i++) if (ready()) return false;
    for (;;) {
      const seq = ring.prepareWait(side);
      if (ready()) return false;
      if (this.signals.sleepOn(ring, side, seq)) return true;
    }
  }

  /** The server parked a call on this pipe: tell it data moved (it looks again). */
  private tellServer(ring: Ring, fd: number): void {
    if ((ring.flags() & RING_SERVER_WAITS) === 0) return;
    ring.clearFlags(RING_SERVER_WAITS);
    bsd.pipe_notify(this.sys, fd);
  }

  private gather(views: Uint8Array[], length: number): Uint8Array {
    let at = 0;
    for (const v of views) {
      this.gathered.set(v, at);
      at += v.length;
    }
    return this.gathered.subarray(0, length);
  }

  private done(out: number, total: number): number {
    this.mem.setU32(out, total);
    return ESUCCESS;
  }
}
