// The personality server's page frames: the machine memory from the first frame the root task
// handed it (ServerBoot.frames) up, 64 KiB each, for message windows and commpages, and runs of
// frames for rings (console output, later pipes and the page cache). Grows the shared memory when it
// runs out. Counts what is in use, for the leak checks.
import { PAGE_SIZE } from '../../kernel-as/bindings/abi.js';

export class FrameAllocator {
  private free: number[] = [];
  /** Frames handed out and not released (runs count each of their frames). */
  inUse = 0;

  constructor(private memory: WebAssembly.Memory, private next: number) {}

  /** Address of a fresh zeroed frame. */
  alloc(): number {
    const addr = this.free.pop() ?? this.bump();
    this.inUse++;
    new Uint8Array(this.memory.buffer, addr, PAGE_SIZE).fill(0);
    return addr;
  }

  /** Address of `count` zeroed frames in a row, fresh from the top (runs are never split or merged: their owner keeps them for reuse). */
  allocRun(count: number): number {
    const addr = this.bump(count);
    this.inUse += count;
    new Uint8Array(this.memory.buffer, addr, count * PAGE_SIZE).fill(0);
    return addr;
  }

  release(addr: number): void {
    this.free.push(addr);
    this.inUse--;
  }

  private bump(count = 1): number {
    const addr = this.next;
    this.next += count * PAGE_SIZE;
    const missing = this.next - this.memory.buffer.byteLength;
    if (missing > 0) this.memory.grow(Math.ceil(missing / PAGE_SIZE));
    return addr;
  }
}
