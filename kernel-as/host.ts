// The kernel's imports from its host worker: a clock for finite timeouts and the upcall that runs a
// colocated (passive) handler thread on the caller's stack. Both are provided by
// kernel-as/bindings/kernel.ts in every instance.

/** Milliseconds from a monotonic clock local to this worker (performance.now()). */
// @ts-ignore: decorator
@external("env", "now")
export declare function hostNow(): f64;

/** Run the passive handler of thread `tid` in this worker; returns a kernel error code. */
// @ts-ignore: decorator
@external("env", "upcall")
export declare function hostUpcall(tid: i32): i32;
