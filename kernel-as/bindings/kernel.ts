// TypeScript binding of kernel.wasm: instantiate it over the machine memory in this worker, call its
// entry points, and read or write the current thread's message registers. Platform-neutral: it uses
// only WebAssembly and typed arrays, so the same code runs in Node workers and browser workers.
import {
  UTCB_MR, UTCB_OUT, UTCB_ERROR, TCB_SENDER, TCB_BADGE, UTCB_BR0, UTCB_BR1, TAG_LABEL_SHIFT, TAG_BULK,
  TAG_WORDS_MASK, TCB_BASE, TCB_SIZE, TCB_FUTEX, TCB_UTCB, THREAD_INDEX_BITS, E_INVALID_CAP,
} from './abi.js';

const INDEX_MASK = (1 << THREAD_INDEX_BITS) - 1;

/** The entry points kernel.wasm exports (see kernel-as/kernel.ts for each one's contract). */
export interface KernelExports {
  kernel_boot(spin: number): number;
  kernel_attach(tid: number, worker: number, mayBlock: number): number;
  kernel_switch(tid: number): number;
  kernel_current(): number;
  kernel_set_spin(spin: number): number;
  kernel_set_fastpath(on: number): number;
  utcb_addr(tid: number): number;
  task_create(flags: number): number;
  thread_create(task: number): number;
  task_set_pager(task: number, tid: number): number;
  task_set_exc_handler(task: number, tid: number): number;
  cap_mint(task: number, slot: number, tid: number, badge: number, rights: number): number;
  cap_delete(task: number, slot: number): number;
  task_destroy(task: number): number;
  ipc_send(cap: number, timeout: number): number;
  ipc_call(cap: number, timeout: number): number;
  ipc_receive(cap: number, timeout: number): number;
  ipc_reply(tid: number): number;
  ipc_reply_wait(tid: number, timeout: number): number;
  ipc_poll(): number;
  ipc_cancel(): number;
  ipc_sleep_prepare(): number;
  ipc_sleep_done(): void;
  thread_set_passive(tid: number): number;
  notify_post(cap: number, bits: number): number;
  notify_take(): number;
  exception_raise(): number;
  thread_control(tid: number, op: number, arg: number): number;
  thread_pending(): number;
  thread_state(tid: number): number;
  thread_task(tid: number): number;
}

/** A passive handler: reads its request from its own UTCB, writes the reply there, returns an error code. */
export type PassiveHandler = (k: Kernel) => number;

/** Pages of the machine memory at boot and its maximum (must match asconfig.json's import). */
export const MACHINE_PAGES = 64;
export const MACHINE_MAX_PAGES = 16384;

export function createMachineMemory(pages = MACHINE_PAGES): WebAssembly.Memory {
  return new WebAssembly.Memory({ initial: pages, maximum: MACHINE_MAX_PAGES, shared: true });
}

/** Message tag (MR0): label in bits 16-31, untyped word count in bits 0-6, bulk flag in bit 7. */
export function tag(label: number, words: number, bulk = false): number {
  return ((label << TAG_LABEL_SHIFT) | (words & TAG_WORDS_MASK) | (bulk ? TAG_BULK : 0)) | 0;
}

export function tagLabel(t: number): number {
  return t >>> TAG_LABEL_SHIFT;
}

export function tagWords(t: number): number {
  return t & TAG_WORDS_MASK;
}

/** Byte address of thread `tid`'s control block, computed from the layout (no kernel call). */
export function tcbOf(tid: number): number {
  return TCB_BASE + (tid & INDEX_MASK) * TCB_SIZE;
}

/** Byte address of thread `tid`'s UTCB. */
export function utcbOf(tid: number): number {
  return tcbOf(tid) + TCB_UTCB;
}

export class Kernel {
  readonly x: KernelExports;
  readonly memory: WebAssembly.Memory;
  /** Word view of machine memory; refreshed by view() after the memory grows. */
  private words: Int32Array;
  private handlers: (PassiveHandler | undefined)[] = [];
  /** The current thread's id, and the word indexes of its TCB, its received MR0 and its outgoing MR0. */
  private tid = 0;
  private tcb0 = 0;
  private mr0 = 0;
  private out0 = 0;

  private constructor(instance: WebAssembly.Instance, memory: WebAssembly.Memory) {
    this.x = instance.exports as unknown as KernelExports;
    this.memory = memory;
    this.words = new Int32Array(memory.buffer);
  }

  /** Instantiate kernel.wasm (compiled once, shared by every worker) over `memory`. */
  static async create(module: WebAssembly.Module, memory: WebAssembly.Memory): Promise<Kernel> {
    let self: Kernel | undefined;
    const env = {
      memory,
      now: () => performance.now(),
      upcall: (tid: number) => (self ? self.upcall(tid) : 2),
    };
    const instance = await WebAssembly.instantiate(module, { env });
    self = new Kernel(instance, memory);
    return self;
  }

  /** Bind this instance to thread `tid` of worker `worker`. */
  attach(tid: number, worker: number, mayBlock = true): number {
    const r = this.x.kernel_attach(tid, worker, mayBlock ? 1 : 0);
    if (r === 0) this.bind(tid);
    return r;
  }

  /** Switch to another thread of the same task (used around passive handlers). */
  switchTo(tid: number): number {
    const r = this.x.kernel_switch(tid);
    if (r === 0) this.bind(tid);
    return r;
  }

  private bind(tid: number): void {
    this.tid = tid;
    this.tcb0 = tcbOf(tid) >> 2;
    this.mr0 = (utcbOf(tid) + UTCB_MR) >> 2;
    this.out0 = (utcbOf(tid) + UTCB_OUT) >> 2;
  }

  get current(): number {
    return this.tid;
  }

  view(): Int32Array {
    if (this.words.buffer.byteLength !== this.memory.buffer.byteLength) this.words = new Int32Array(this.memory.buffer);
    return this.words;
  }

  /** Word `i` of the message received last (MR0 is its tag). */
  mr(i: number): number {
    return this.words[this.mr0 + i];
  }

  /** Set word `i` of the message to send next (MR0 is its tag). */
  setMr(i: number, v: number): void {
    this.words[this.out0 + i] = v;
  }

  /** Word `i` of the message to send next, as written so far. */
  outMr(i: number): number {
    return this.words[this.out0 + i];
  }

  /** Write the message to send: MR0 = tag, MR1.. = `values`. */
  setMessage(label: number, values: ArrayLike<number>, bulk = false): void {
    const w = this.words;
    const at = this.out0;
    w[at] = tag(label, values.length, bulk);
    for (let i = 0; i < values.length; i++) w[at + 1 + i] = values[i];
  }

  get sender(): number {
    return this.words[this.tcb0 + (TCB_SENDER >> 2)];
  }

  get badge(): number {
    return this.words[this.tcb0 + (TCB_BADGE >> 2)];
  }

  get error(): number {
    return this.words[this.mr0 + ((UTCB_ERROR - UTCB_MR) >> 2)];
  }

  /** Set the buffer registers: where (in machine memory) this thread accepts a bulk item. */
  setBuffer(addr: number, len: number): void {
    this.words[this.mr0 + ((UTCB_BR0 - UTCB_MR) >> 2)] = addr;
    this.words[this.mr0 + ((UTCB_BR1 - UTCB_MR) >> 2)] = len;
  }

  /** Word index of thread `tid`'s event count, for Atomics.waitAsync. */
  futexIndex(tid: number): number {
    return (tcbOf(tid) + TCB_FUTEX) >> 2;
  }

  /** Register the JS handler that runs when passive thread `tid` is called from this worker. */
  setPassiveHandler(tid: number, handler: PassiveHandler): number {
    const r = this.x.thread_set_passive(tid);
    if (r === 0) this.handlers[tid & INDEX_MASK] = handler;
    return r;
  }

  /** The kernel made `tid` current around this call; point the MR accessors at its UTCB meanwhile. */
  private upcall(tid: number): number {
    const handler = this.handlers[tid & INDEX_MASK];
    if (!handler) return E_INVALID_CAP;
    const caller = this.tid;
    this.bind(tid);
    try {
      return handler(this);
    } finally {
      this.bind(caller);
    }
  }
}
