// The clocks of the task library, read without IPC: realtime (the epoch), monotonic, and the process
// and thread CPU-time clocks (which the web platform cannot measure: they count time since the
// process started, which is an upper bound of its CPU time). All in nanoseconds: clockNowNs as a
// number (no BigInt on the clock_time_get path), clockNow as a bigint.
import { CLOCK } from '../abi/wasi.js';

/** What performance.now() can resolve, conservatively: 1 us (browsers may coarsen further). */
export const CLOCK_RESOLUTION_NS = 1000n;

/** When this worker's process started (a worker runs one process at a time, and may run another after it). */
let started = performance.now();

/** A new process starts in this worker: its CPU-time clocks count from now. */
export function processStarted(): void {
  started = performance.now();
}

/** The time on clock `id` in ns as a number (exact below 2^53 ns, about 104 days of uptime; realtime to ~256 ns), or -1 for an unknown clock. */
export function clockNowNs(id: number): number {
  const now = performance.now();
  switch (id) {
    case CLOCK.realtime:
      return Math.round((performance.timeOrigin + now) * 1e6);
    case CLOCK.monotonic:
      return Math.round(now * 1e6);
    case CLOCK.processCputime:
    case CLOCK.threadCputime:
      return Math.round((now - started) * 1e6);
    default:
      return -1;
  }
}

/** The time on clock `id`, or undefined for an unknown clock. */
export function clockNow(id: number): bigint | undefined {
  const t = clockNowNs(id);
  return t < 0 ? undefined : BigInt(t);
}

/** Block this worker for `nanoseconds` (tasks may block; the server never calls this). */
export function sleepNs(nanoseconds: bigint, wake: Int32Array = new Int32Array(new SharedArrayBuffer(4))): void {
  if (nanoseconds <= 0n) return;
  Atomics.wait(wake, 0, 0, Number(nanoseconds) / 1e6);
}
