// Page frames of the machine memory above the kernel area: 64 KiB each, handed out for message
// buffers, and runs of frames for the console's rings (later: page cache, pipe rings). Grows the
// shared memory when it runs out. Host-side only.
import { FRAMES_BASE, PAGE_SIZE } from '../kernel-as/bindings/abi.js';

export class FrameAllocator {
  private free: number[] = [];
  private next = FRAMES_BASE;

  constructor(private memory: WebAssembly.Memory) {}

  /** Address of a fresh zeroed frame. */
  alloc(): number {
    const addr = this.free.pop() ?? this.bump();
    new Uint8Array(this.memory.buffer, addr, PAGE_SIZE).fill(0);
    return addr;
  }

  /** Address of `count` zeroed frames in a row, fresh from the top (runs are never split or merged: their owner keeps them for reuse). */
  allocRun(count: number): number {
    const addr = this.bump(count);
    new Uint8Array(this.memory.buffer, addr, count * PAGE_SIZE).fill(0);
    return addr;
  }

  release(addr: number): void {
    this.free.push(addr);
  }

  private bump(count = 1): number {
    const addr = this.next;
    this.next += count * PAGE_SIZE;
    const missing = this.next - this.memory.buffer.byteLength;
    if (missing > 0) this.memory.grow(Math.ceil(missing / PAGE_SIZE));
    return addr;
  }
}
