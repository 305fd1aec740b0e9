// The per-instance "CPU registers" of the kernel: which thread this worker runs, which worker it is,
// and whether it may block (a browser's main thread may not). They are Wasm globals, private to each
// instance; everything shared lives in machine memory.

/** Thread id of the thread this instance is running (0 before kernel_attach). */
export let current: i32 = 0;
/** Index of the current thread (current & 0xffff). */
export let currentIdx: i32 = 0;
/** Worker number given at attach; colocated calls require the callee's WORKER to match. */
export let worker: i32 = 0;
/** 0 on threads that must never wait (a browser's main thread): they spin instead. */
export let mayBlock: i32 = 1;

export function setCurrent(tid: i32): void {
  current = tid;
  currentIdx = tid & 0xffff;
}

export function setWorker(w: i32, block: i32): void {
  worker = w;
  mayBlock = block;
}
