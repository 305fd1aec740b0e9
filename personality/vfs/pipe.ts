// Pipes (POSIX pipe, pipe2): a byte ring in machine memory (abi/ring.ts, 256 KiB) with a read
// end and a write end, each a vnode whose opens are counted. Task libraries move the data themselves
// (libsystem/pipes.ts: the commpage's pipe table names each descriptor's ring), so the server moves it
// only on the slow path (tracing, poll's checks): both follow one protocol. A read takes what is there,
// 0 once every write end is closed (RING_CLOSED), and would block while it is empty; a write of at
// most PIPE_BUF bytes goes in whole or not at all, under the ring's writer lock (atomic against other
// writers, in any process), a larger one as much as fits; with every read end closed
// (RING_NO_READERS) a write is EPIPE and the writer gets SIGPIPE. The server parks blocked calls on
// the pipe's channels and says so in the ring (RING_SERVER_WAITS), so a task that moves data then
// asks it to look again (the pipe_notify call). The frames are given back when both ends are closed.
import { EAGAIN, EBADF, EPIPE } from '../../abi/errno.js';
import { FDFLAGS, FILETYPE, RIGHT } from '../../abi/wasi.js';
import { PIPE_NONBLOCK, PIPE_READ, PIPE_WRITE } from '../../abi/commpage.js';
import type { Descriptor } from './file.js';
import { Ring, PIPE_BUF, PIPE_RING_BYTES, RING_CLOSED, RING_DATA, RING_NO_READERS, RING_SERVER_WAITS } from '../../abi/ring.js';
import { PAGE_SIZE } from '../../kernel-as/bindings/abi.js';
import { BaseVnode, VfsError, nowNs, type Mount, type Readiness, type Stat, type TimeSet } from './vnode.js';
import type { FrameAllocator } from '../vm/frames.js';

const PIPE_RING_FRAMES = PIPE_RING_BYTES / PAGE_SIZE;
/** The server's own writer-lock owner (pids start at 1). */
const SERVER_OWNER = -1;

/** The pipes of the machine: one pseudo file system, its rings in the server's frames. */
export class Pipes implements Mount {
  readonly readOnly = false;
  private lastIno = 0n;
  /** Pipes with an end open. */
  private live = new Set<Pipe>();

  /** `wakeup`: wake the calls parked on a channel (the server's). */
  constructor(readonly dev: bigint, private memory: WebAssembly.Memory, private frames: FrameAllocator, readonly wakeup: (channel: object) => void) {}

  /** A new pipe: its read end and its write end. */
  create(): [PipeEnd, PipeEnd] {
    const addr = this.frames.allocRun(PIPE_RING_FRAMES);
    new Uint8Array(this.memory.buffer, addr, RING_DATA).fill(0); // a fresh header: empty, no flags, unlocked
    const pipe = new Pipe(this, this.lastIno += 1n, addr, new Ring(this.memory.buffer, addr, PIPE_RING_BYTES, true), () => {
      this.frames.releaseRun(addr, PIPE_RING_FRAMES);
      this.live.delete(pipe);
    });
    this.live.add(pipe);
    return [new PipeEnd(pipe, 'read'), new PipeEnd(pipe, 'write')];
  }

  /** A process ended: a writer lock it held (it died mid-write) is let go. */
  releaseLocks(pid: number): void {
    for (const p of this.live) p.ring.unlock(pid);
  }
}

/** The state both ends share. */
class Pipe {
  readers = 0;
  writers = 0;
  /** Wait channels: readers wait for data or the last writer; writers for room or the last reader. */
  readonly readable = {};
  readonly writable = {};
  readonly times = nowNs();

  constructor(readonly pipes: Pipes, readonly ino: bigint, readonly addr: number, readonly ring: Ring, private free: () => void) {}

  /** An open of `end` closed: the last of one side changes what the other sees (in the ring too); the last of both frees the ring. */
  closed(end: 'read' | 'write'): void {
    if (end === 'write' && this.writers === 0) {
      this.ring.signal('writer', RING_CLOSED);
      this.pipes.wakeup(this.readable);
    }
    if (end === 'read' && this.readers === 0) {
      this.ring.signal('reader', RING_NO_READERS);
      this.pipes.wakeup(this.writable);
    }
    if (this.readers === 0 && this.writers === 0) this.free();
  }

  /** The server is about to park a call on this pipe: a task that moves data must ask it to look again. */
  serverWaits(): void {
    this.ring.setFlags(RING_SERVER_WAITS);
  }
}

/** One end of a pipe, as a vnode: a stream (no seeking), its filetype unknown as WASI has no FIFO. */
export class PipeEnd extends BaseVnode {
  override readonly seekable = false;
  readonly filetype = FILETYPE.unknown;

  constructor(private pipe: Pipe, readonly end: 'read' | 'write') {
    super();
  }

  get mount(): Mount {
    return this.pipe.pipes;
  }

  stat(): Stat {
    const t = this.pipe.times;
    return { dev: this.mount.dev, ino: this.pipe.ino, filetype: this.filetype, nlink: 1n, size: BigInt(this.pipe.ring.used()), atim: t, mtim: t, ctim: t };
  }

  setTimes(_atim: TimeSet, _mtim: TimeSet): void {}

  override retain(): void {
    if (this.end === 'read') this.pipe.readers++;
    else this.pipe.writers++;
  }

  override release(): void {
    if (this.end === 'read') this.pipe.readers--;
    else this.pipe.writers--;
    this.pipe.closed(this.end);
  }

  /**
   * Read what is there; EAGAIN when it would block. Before it says so it flags the ring and looks
   * once more, so data a task puts meanwhile is either seen here or announced by the task.
   */
  override read(_offset: number, into: Uint8Array): number {
    if (this.end !== 'read') throw new VfsError(EBADF);
    const p = this.pipe;
    for (let tries = 0; ; tries++) {
      const n = p.ring.take(into);
      if (n > 0) p.pipes.wakeup(p.writable);
      if (n > 0 || p.writers === 0 || into.length === 0) return n;
      if (tries === 1) throw new VfsError(EAGAIN);
      p.serverWaits();
    }
  }

  /** As much as may go now (all of a write of at most PIPE_BUF, or none), under the writers' lock; EAGAIN as read does. */
  override write(_offset: number, from: Uint8Array): number {
    if (this.end !== 'write') throw new VfsError(EBADF);
    const p = this.pipe;
    for (let tries = 0; ; tries++) {
      if (p.readers === 0) throw new VfsError(EPIPE);
      const n = this.put(from);
      if (n > 0) p.pipes.wakeup(p.readable);
      if (n > 0 || from.length === 0) return n;
      if (tries === 1) throw new VfsError(EAGAIN);
      p.serverWaits();
    }
  }

  /** Put what may go now; 0 if a task holds the writers' lock (it looks at RING_SERVER_WAITS when done). */
  private put(from: Uint8Array): number {
    const ring = this.pipe.ring;
    if (!ring.lock(SERVER_OWNER)) return 0;
    const room = ring.room();
    const n = from.length <= PIPE_BUF ? (room >= from.length ? from.length : 0) : Math.min(room, from.length);
    if (n > 0) ring.put(from.subarray(0, n));
    ring.unlock(SERVER_OWNER);
    return n;
  }

  /** Wake what the server parked on this pipe (a task moved data: pipe_notify). */
  notify(): void {
    this.pipe.pipes.wakeup(this.pipe.readable);
    this.pipe.pipes.wakeup(this.pipe.writable);
  }

  /** The ring's address, for the commpage's pipe table. */
  get ringAddr(): number {
    return this.pipe.addr;
  }

  /** Ready or not; when not, the ring is flagged first and looked at again (poll may park on it, see read). */
  override readiness(): Readiness {
    const r = this.state();
    if (r.readable || r.writable) return r;
    this.pipe.serverWaits();
    return this.state();
  }

  private state(): Readiness {
    const p = this.pipe;
    const nbytes = p.ring.used();
    if (this.end === 'read') return { readable: nbytes > 0 || p.writers === 0, writable: false, hangup: p.writers === 0, nbytes };
    return { readable: false, writable: p.readers === 0 || p.ring.room() >= PIPE_BUF, hangup: p.readers === 0, nbytes: p.ring.room() };
  }

  override channel(dir: 'read' | 'write'): object {
    return dir === 'read' ? this.pipe.readable : this.pipe.writable;
  }
}

/** The pipe table word (abi/commpage.ts) for descriptor `d`: its ring and end, if it is a pipe end it may move data through. */
export function pipeSlot(d: Descriptor | undefined): number {
  const v = d?.file.vnode;
  if (!d || !(v instanceof PipeEnd)) return 0;
  const may = v.end === 'read' ? (d.rights & RIGHT.fdRead) !== 0 : (d.rights & RIGHT.fdWrite) !== 0;
  if (!may) return 0;
  return v.ringAddr | (v.end === 'read' ? PIPE_READ : PIPE_WRITE) | ((d.file.fdflags & FDFLAGS.nonblock) !== 0 ? PIPE_NONBLOCK : 0);
}
