// Small records of machine memory (tokens and windows: vm_window.ts), carved from the server's 64 KiB
// frames in slots of one size; a frame goes back to the allocator once none of its slots is in use,
// so the leak checks see every record returned.
import { PAGE_SIZE as FRAME_SIZE } from '../../kernel-as/bindings/abi.js';
import type { FrameAllocator } from './frames.js';

export class RecordSlab {
  /** Slots in use, by frame address. */
  private used = new Map<number, number>();
  private free: number[] = [];

  /** `size` must divide a frame. */
  constructor(private readonly frames: FrameAllocator, private readonly memory: WebAssembly.Memory, readonly size: number) {}

  /** A record's address: zeros. */
  alloc(): number {
    if (this.free.length === 0) this.carve();
    const addr = this.free.pop()!;
    const frame = addr - (addr % FRAME_SIZE);
    this.used.set(frame, this.used.get(frame)! + 1);
    return addr;
  }

  release(addr: number): void {
    new Uint8Array(this.memory.buffer, addr, this.size).fill(0);
    const frame = addr - (addr % FRAME_SIZE);
    const left = this.used.get(frame)! - 1;
    if (left > 0) {
      this.used.set(frame, left);
      this.free.push(addr);
      return;
    }
    this.used.delete(frame);
    this.free = this.free.filter((a) => a < frame || a >= frame + FRAME_SIZE);
    this.frames.release(frame);
  }

  private carve(): void {
    const frame = this.frames.alloc(); // zeros
    this.used.set(frame, 0);
    for (let addr = frame + FRAME_SIZE - this.size; addr >= frame; addr -= this.size) this.free.push(addr);
  }
}
