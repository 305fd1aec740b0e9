// Staging buffers: where a Mach message too large for a thread's 64 KiB message window travels (out-of-
// line memory of megabytes). Each process has at most one, a run of frames of machine memory the
// server hands out and grows on request; the task library copies a large message into it before
// mach_msg, and out of it after a receive that left the message there. Given back when the process ends.
import type { FrameAllocator } from '../vm/frames.js';
import { PAGE_SIZE } from '../../kernel-as/bindings/abi.js';

/** The largest message and out-of-line memory one mach_msg may carry. */
export const MAX_STAGED = 64 * 1024 * 1024;

export class Staging {
  private buffers = new Map<number, { addr: number; frames: number }>();

  constructor(private frames: FrameAllocator, private memory: WebAssembly.Memory) {}

  /** Process `pid`'s buffer, of at least `size` bytes (grown: its old contents are not kept); undefined above MAX_STAGED. */
  buffer(pid: number, size: number): number | undefined {
    if (size > MAX_STAGED) return undefined;
    const frames = Math.max(1, Math.ceil(size / PAGE_SIZE));
    const b = this.buffers.get(pid);
    if (b && b.frames >= frames) return b.addr;
    if (b) this.frames.releaseRun(b.addr, b.frames);
    const addr = this.frames.allocRun(frames);
    this.buffers.set(pid, { addr, frames });
    return addr;
  }

  /** `len` bytes of process `pid`'s buffer; undefined if it has none that long. */
  view(pid: number, len: number): Uint8Array | undefined {
    const b = this.buffers.get(pid);
    return b && len <= b.frames * PAGE_SIZE ? new Uint8Array(this.memory.buffer, b.addr, len) : undefined;
  }

  /** Process `pid` ended: its buffer goes back. */
  ended(pid: number): void {
    const b = this.buffers.get(pid);
    if (b) this.frames.releaseRun(b.addr, b.frames);
    this.buffers.delete(pid);
  }
}
