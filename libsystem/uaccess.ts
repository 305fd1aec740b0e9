// The one place that touches a program's memory: bounds-checked reads and writes of its linear
// memory (xv6's copyin/copyout). Every failure is an EFAULT for the program, never a JS exception
// escaping into the worker. The program's memory may grow, so views are taken afresh on each access.
import { EFAULT } from '../personality/interfaces/errno.js';

export class Fault extends Error {
  readonly errno = EFAULT;
}

export class UserMemory {
  private memory: WebAssembly.Memory | undefined;

  bind(memory: WebAssembly.Memory): void {
    this.memory = memory;
  }

  private buffer(): ArrayBuffer {
    if (!this.memory) throw new Fault('program has no memory');
    return this.memory.buffer as ArrayBuffer;
  }

  private check(ptr: number, len: number): void {
    if (ptr < 0 || len < 0 || ptr + len > this.buffer().byteLength) throw new Fault(`bad address ${ptr}+${len}`);
  }

  /** A view of `len` bytes at `ptr` (valid until the program's memory grows). */
  bytes(ptr: number, len: number): Uint8Array {
    this.check(ptr >>> 0, len >>> 0);
    return new Uint8Array(this.buffer(), ptr >>> 0, len >>> 0);
  }

  u32(ptr: number): number {
    this.check(ptr >>> 0, 4);
    return new DataView(this.buffer()).getUint32(ptr >>> 0, true);
  }

  setU32(ptr: number, v: number): void {
    this.check(ptr >>> 0, 4);
    new DataView(this.buffer()).setUint32(ptr >>> 0, v >>> 0, true);
  }

  setU64(ptr: number, v: bigint): void {
    this.check(ptr >>> 0, 8);
    new DataView(this.buffer()).setBigUint64(ptr >>> 0, BigInt.asUintN(64, v), true);
  }

  /** Copy `data` into the program's memory at `ptr`. */
  copyOut(ptr: number, data: Uint8Array): void {
    this.bytes(ptr, data.length).set(data);
  }

  /** The (buf, len) pairs of a WASI iovec array. */
  iovecs(ptr: number, count: number): Array<[number, number]> {
    this.check(ptr >>> 0, (count >>> 0) * 8);
    const out: Array<[number, number]> = [];
    for (let i = 0; i < count; i++) out.push([this.u32(ptr + i * 8), this.u32(ptr + i * 8 + 4)]);
    return out;
  }
}
