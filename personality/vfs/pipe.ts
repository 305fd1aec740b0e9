// Pipes (POSIX pipe, pipe2): a byte ring in a frame of machine memory (interfaces/ring.ts) with a read
// end and a write end, each a vnode whose opens are counted. A read takes what is there, 0 once every
// write end is closed, and would block (EAGAIN, so a blocking reader parks on the pipe's channel)
// while it is empty; a write of at most PIPE_BUF bytes goes in whole or not at all (it is atomic
// against other writers), a larger one as much as fits; with every read end closed a write is EPIPE
// (the writer then gets SIGPIPE). The ring lives in machine memory so task libraries can later move
// data through it without the server (as the console's rings do); here the server moves it. The frame
// is given back when both ends are closed.
import { EAGAIN, EBADF, EPIPE } from '../interfaces/errno.js';
import { FILETYPE } from '../interfaces/wasi.js';
import { Ring, RING_CLOSED } from '../interfaces/ring.js';
import { PAGE_SIZE } from '../../kernel-as/bindings/abi.js';
import { BaseVnode, VfsError, nowNs, type Mount, type Readiness, type Stat, type TimeSet } from './vnode.js';
import type { FrameAllocator } from '../vm/frames.js';

/** Writes up to this size are atomic (POSIX's minimum and Linux's value). */
export const PIPE_BUF = 4096;

/** The pipes of the machine: one pseudo file system, its rings in the server's frames. */
export class Pipes implements Mount {
  readonly readOnly = false;
  private lastIno = 0n;
  /** Pipes whose frame is in use, for the leak checks. */
  open = 0;

  /** `wakeup`: wake the calls parked on a channel (the server's). */
  constructor(readonly dev: bigint, private memory: WebAssembly.Memory, private frames: FrameAllocator, readonly wakeup: (channel: object) => void) {}

  /** A new pipe: its read end and its write end. */
  create(): [PipeEnd, PipeEnd] {
    const addr = this.frames.alloc();
    this.open++;
    const pipe = new Pipe(this, this.lastIno += 1n, new Ring(this.memory.buffer, addr, PAGE_SIZE), () => {
      this.frames.release(addr);
      this.open--;
    });
    return [new PipeEnd(pipe, 'read'), new PipeEnd(pipe, 'write')];
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

  constructor(readonly pipes: Pipes, readonly ino: bigint, readonly ring: Ring, private free: () => void) {}

  /** An open of `end` closed: the last of one side changes what the other sees; the last of both frees the ring. */
  closed(end: 'read' | 'write'): void {
    if (end === 'write' && this.writers === 0) {
      this.ring.signal('writer', RING_CLOSED);
      this.pipes.wakeup(this.readable);
    }
    if (end === 'read' && this.readers === 0) this.pipes.wakeup(this.writable);
    if (this.readers === 0 && this.writers === 0) this.free();
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

  override read(_offset: number, into: Uint8Array): number {
    if (this.end !== 'read') throw new VfsError(EBADF);
    const p = this.pipe;
    const n = p.ring.take(into);
    if (n > 0) p.pipes.wakeup(p.writable);
    if (n > 0 || p.writers === 0 || into.length === 0) return n;
    throw new VfsError(EAGAIN);
  }

  override write(_offset: number, from: Uint8Array): number {
    if (this.end !== 'write') throw new VfsError(EBADF);
    const p = this.pipe;
    if (p.readers === 0) throw new VfsError(EPIPE);
    const room = p.ring.room();
    const n = from.length <= PIPE_BUF ? (room >= from.length ? from.length : 0) : Math.min(room, from.length);
    if (n === 0 && from.length > 0) throw new VfsError(EAGAIN);
    p.ring.put(from.subarray(0, n));
    p.pipes.wakeup(p.readable);
    return n;
  }

  override readiness(): Readiness {
    const p = this.pipe;
    const nbytes = p.ring.used();
    if (this.end === 'read') return { readable: nbytes > 0 || p.writers === 0, writable: false, hangup: p.writers === 0, nbytes };
    return { readable: false, writable: p.readers === 0 || p.ring.room() >= PIPE_BUF, hangup: p.readers === 0, nbytes: p.ring.room() };
  }

  override channel(dir: 'read' | 'write'): object {
    return dir === 'read' ? this.pipe.readable : this.pipe.writable;
  }
}
