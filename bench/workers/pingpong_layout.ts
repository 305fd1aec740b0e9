// Shared-memory layout and spin budget of the ipc floors' Atomics ping-pong (played by
// bench/workers/pingpong.ts in the workers of a kernel pair), shared by the main thread
// (bench/ipc.ts, bench/ipc_kernel.ts) and the workers. A leaf module on purpose: bench/ipc_kernel.ts
// imports constants from here, never from ./ipc.js (ipc.ts imports ipc_kernel.ts, so the other
// direction is an import cycle). Constants and types only.

/** Default number of Atomics.load polls a waiter spins before blocking in Atomics.wait. */
export const DEFAULT_SPIN_POLLS = 20000;

/** A blocked waiter gives up after this long (a dead peer must fail the run, not hang it). */
export const WAIT_TIMEOUT_MS = 10_000;

/*
 * The ping-pong SharedArrayBuffer, 256 bytes; each word on its own 64-byte line.
 *
 *  byte  field        written by  read by  access
 *     0  REQ          ping        pong     Atomics.store, then Atomics.notify (always in `bare`,
 *                                          only if REQ_WAITING != 0 in `spin`); value = sequence number
 *    64  REP          pong        ping     the same, with REP_WAITING; value = the sequence it answers
 *   128  REQ_WAITING  pong        ping     `spin` only: 1 while pong is (about to be) in Atomics.wait on REQ
 *   192  REP_WAITING  ping        pong     `spin` only: 1 while ping is (about to be) in Atomics.wait on REP
 *
 * Sequence numbers: run k carries `base` = total iterations of earlier runs; iteration i (1-based)
 * uses (base + i) | 0, so both sides agree without resetting the words between runs, and only
 * equality is compared, so wrapping at 2^31 is harmless. Waiter flags follow Dekker's pattern with
 * sequentially consistent atomics: the waiter stores its flag before Atomics.wait re-checks the word;
 * the signaller stores the word before loading the flag; so one of them sees the other.
 */
export const PINGPONG_BYTES = 256;
export const REQ_BYTE = 0;
export const REP_BYTE = 64;
export const REQ_WAITING_BYTE = 128;
export const REP_WAITING_BYTE = 192;

/** Int32Array index of a byte offset in the layout above. */
export function wordIndex(byteOffset: number): number {
  return byteOffset / Int32Array.BYTES_PER_ELEMENT;
}

/** `bare`: block in Atomics.wait at once and always notify. `spin`: poll first, notify only waiters. */
export type PingPongMode = 'bare' | 'spin';
