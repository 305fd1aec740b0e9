// The one place that touches a program's memory: bounds-checked reads and writes of its linear
// memory (xv6's copyin/copyout). Every failure is an EFAULT for the program, never a JS exception
// escaping into the worker. The program's memory may grow (its buffer is then replaced), so the
// cached views are re-made when an access falls outside them.
import { EFAULT } from '../abi/errno.js';

/** Below this many bytes a loop copies faster than making a view for set(). */
const SMALL_COPY = 32;

export class Fault extends Error {
  readonly errno = EFAULT;
}

export class UserMemory {
  private memory: WebAssembly.Memory | undefined;
  private buf: ArrayBuffer | undefined;
  private dv!: DataView;
  private bytes8!: Uint8Array;

  bind(memory: WebAssembly.Memory): void {
    this.memory = memory;
  }

  /**
   * The DataView of the current buffer, after checking [ptr, ptr+len). Reading memory.buffer costs
   * more than the access, so the views are re-made only when the range lies beyond the cached
   * buffer: growth detaches a plain memory's buffer (its length becomes 0) and leaves a shared
   * memory's old buffer shorter.
   */
  private at(ptr: number, len: number): DataView {
    if (this.buf === undefined || ptr + len > this.buf.byteLength) this.refresh();
    if (ptr < 0 || len < 0 || ptr + len > this.buf!.byteLength) throw new Fault(`bad address ${ptr}+${len}`);
    return this.dv;
  }

  private refresh(): void {
    if (!this.memory) throw new Fault('program has no memory');
    const b = this.memory.buffer as ArrayBuffer;
    if (b === this.buf) return;
    this.buf = b;
    this.dv = new DataView(b);
    this.bytes8 = new Uint8Array(b);
  }

  /** The program's memory size in 64 KiB pages. */
  get pages(): number {
    return this.memory ? this.memory.buffer.byteLength / 65536 : 0;
  }

  /** A view of `len` bytes at `ptr` (valid until the program's memory grows). */
  bytes(ptr: number, len: number): Uint8Array {
    const dv = this.at(ptr >>> 0, len >>> 0);
    return new Uint8Array(dv.buffer, ptr >>> 0, len >>> 0);
  }

  /** Copy `len` bytes at `ptr` into `dst` at `at` (no view is made for the copy). */
  copyIn(dst: Uint8Array, at: number, ptr: number, len: number): void {
    ptr >>>= 0;
    len >>>= 0;
    this.at(ptr, len);
    const src = this.bytes8;
    if (len <= SMALL_COPY) for (let i = 0; i < len; i++) dst[at + i] = src[ptr + i];
    else dst.set(src.subarray(ptr, ptr + len), at);
  }

  u8(ptr: number): number {
    return this.at(ptr >>> 0, 1).getUint8(ptr >>> 0);
  }

  u16(ptr: number): number {
    return this.at(ptr >>> 0, 2).getUint16(ptr >>> 0, true);
  }

  u32(ptr: number): number {
    return this.at(ptr >>> 0, 4).getUint32(ptr >>> 0, true);
  }

  u64(ptr: number): bigint {
    return this.at(ptr >>> 0, 8).getBigUint64(ptr >>> 0, true);
  }

  setU8(ptr: number, v: number): void {
    this.at(ptr >>> 0, 1).setUint8(ptr >>> 0, v);
  }

  setU16(ptr: number, v: number): void {
    this.at(ptr >>> 0, 2).setUint16(ptr >>> 0, v, true);
  }

  setU32(ptr: number, v: number): void {
    this.at(ptr >>> 0, 4).setUint32(ptr >>> 0, v >>> 0, true);
  }

  setU64(ptr: number, v: bigint): void {
    this.at(ptr >>> 0, 8).setBigUint64(ptr >>> 0, BigInt.asUintN(64, v), true);
  }

  /** Store a non-negative integer below 2^53 as a u64 without making a BigInt. */
  setU64n(ptr: number, v: number): void {
    const dv = this.at(ptr >>> 0, 8);
    dv.setUint32(ptr >>> 0, v % 4294967296, true);
    dv.setUint32((ptr >>> 0) + 4, Math.floor(v / 4294967296), true);
  }

  /** Copy `data` into the program's memory at `ptr`. */
  copyOut(ptr: number, data: Uint8Array): void {
    this.at(ptr >>> 0, data.length);
    this.bytes8.set(data, ptr >>> 0);
  }

  /** Fill `len` bytes at `ptr` with zeros. */
  zero(ptr: number, len: number): void {
    this.at(ptr >>> 0, len >>> 0);
    this.bytes8.fill(0, ptr >>> 0, (ptr >>> 0) + (len >>> 0));
  }

  /** EFAULT unless `len` bytes at `ptr` lie in the program's memory. */
  check(ptr: number, len: number): void {
    this.at(ptr >>> 0, len >>> 0);
  }

  /** The (buf, len) pairs of a WASI iovec array. */
  iovecs(ptr: number, count: number): Array<[number, number]> {
    this.at(ptr >>> 0, (count >>> 0) * 8);
    const out: Array<[number, number]> = [];
    for (let i = 0; i < count; i++) out.push([this.u32(ptr + i * 8), this.u32(ptr + i * 8 + 4)]);
    return out;
  }
}
