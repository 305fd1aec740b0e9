// Addresses of kernel objects in machine memory and the word accessors the kernel uses on them.
// Layout comes from abi.ts (generated); nothing here allocates: the kernel has no heap.
import {
  TCB_BASE, TCB_SIZE, TCB_UTCB, TASK_BASE, TASK_SIZE, TASK_CAPS, CAP_SIZE, KHDR_BASE,
} from './abi';

// @ts-ignore: decorator
@inline export function tcbAddr(idx: i32): usize {
  return <usize>(TCB_BASE + idx * TCB_SIZE);
}

// @ts-ignore: decorator
@inline export function utcbAddr(idx: i32): usize {
  return tcbAddr(idx) + <usize>TCB_UTCB;
}

// @ts-ignore: decorator
@inline export function taskAddr(idx: i32): usize {
  return <usize>(TASK_BASE + idx * TASK_SIZE);
}

// @ts-ignore: decorator
@inline export function capAddr(task: i32, slot: i32): usize {
  return taskAddr(task) + <usize>(TASK_CAPS + slot * CAP_SIZE);
}

// @ts-ignore: decorator
@inline export function khdr(field: i32): usize {
  return <usize>(KHDR_BASE + field);
}

/** Plain read of a word; use under the kernel lock or for fields only the owner writes. */
// @ts-ignore: decorator
@inline export function rd(base: usize, field: i32): i32 {
  return load<i32>(base + <usize>field);
}

/** Plain write of a word; use under the kernel lock or for fields only the owner reads. */
// @ts-ignore: decorator
@inline export function wr(base: usize, field: i32, v: i32): void {
  store<i32>(base + <usize>field, v);
}

/** Atomic (sequentially consistent) read, for words read outside the kernel lock. */
// @ts-ignore: decorator
@inline export function ard(base: usize, field: i32): i32 {
  return atomic.load<i32>(base + <usize>field);
}

/** Atomic (sequentially consistent) write, for words read outside the kernel lock. */
// @ts-ignore: decorator
@inline export function awr(base: usize, field: i32, v: i32): void {
  atomic.store<i32>(base + <usize>field, v);
}

/** Machine memory size in bytes, as this instance sees it now. */
export function memoryBytes(): usize {
  return <usize>memory.size() << 16;
}
