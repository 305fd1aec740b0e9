// The personality server's page frames: the machine memory from the first frame the root task
// handed it (ServerBoot.frames) up, 64 KiB each, for message windows and commpages, and runs of
// frames for rings (console output, later pipes and the page cache). Grows the shared memory when it
// runs out. Counts what is in use, for the leak checks.
import { PAGE_SIZE } from '../../kernel-as/bindings/abi.js';

export class FrameAllocator {
  private free: number[] = [];
  /** Runs given back, by their length in frames (runs are never split or merged). */
  private freeRuns = new Map<number, number[]>();
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

  /**
   * Address of `count` frames in a row: a run of that length given back (not cleared: its new owner
   * resets what it uses, as a ring's header; a console ring may still hold output the host has yet
   * to drain), or fresh from the top (zero).
   */
  allocRun(count: number): number {
    const addr = this.freeRuns.get(count)?.pop() ?? this.bump(count);
    this.inUse += count;
    return addr;
  }

  release(addr: number): void {
    this.free.push(addr);
    this.inUse--;
  }

  /** Give back a run of `count` frames from allocRun. */
  releaseRun(addr: number, count: number): void {
    let runs = this.freeRuns.get(count);
    if (!runs) this.freeRuns.set(count, (runs = []));
    runs.push(addr);
    this.inUse -= count;
  }

  private bump(count = 1): number {
    const addr = this.next;
    this.next += count * PAGE_SIZE;
    const missing = this.next - this.memory.buffer.byteLength;
    if (missing > 0) this.memory.grow(Math.ceil(missing / PAGE_SIZE));
    return addr;
  }
}
