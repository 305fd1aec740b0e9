// The clocks of the task library, read without IPC: realtime (the epoch), monotonic, and the process
// and thread CPU-time clocks (which the web platform cannot measure: they count time since the
// process started, which is an upper bound of its CPU time). All in nanoseconds as bigint.
import { CLOCK } from '../personality/interfaces/wasi.js';

/** What performance.now() can resolve, conservatively: 1 us (browsers may coarsen further). */
export const CLOCK_RESOLUTION_NS = 1000n;

const started = performance.now();

function ns(ms: number): bigint {
  return BigInt(Math.round(ms * 1e6));
}

/** The time on clock `id`, or undefined for an unknown clock. */
export function clockNow(id: number): bigint | undefined {
  const now = performance.now();
  switch (id) {
    case CLOCK.realtime:
      return ns(performance.timeOrigin + now);
    case CLOCK.monotonic:
      return ns(now);
    case CLOCK.processCputime:
    case CLOCK.threadCputime:
      return ns(now - started);
    default:
      return undefined;
  }
}

/** Block this worker for `nanoseconds` (tasks may block; the server never calls this). */
export function sleepNs(nanoseconds: bigint): void {
  if (nanoseconds <= 0n) return;
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(nanoseconds) / 1e6);
}
