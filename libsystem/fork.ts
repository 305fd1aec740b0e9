// fork in the task library. A program that imports fork was made able to unwind (libsystem/asyncify.ts).
// Its fork call unwinds the program's call stack into the program's own buffer (`unwind`) and the
// program's _start returns; then, with nothing of the program running, the library asks the server
// for the child (one system call: the process, its descriptors and signals), hands the host a copy
// of the memory and the mutable globals for the child's worker, and winds the stack back: the
// parent's fork returns the child's pid. The child's worker instantiates the same program, puts the
// copied memory and globals in place and winds back into the same call, which returns 0 there.
import { EINVAL, ENOSYS, ESUCCESS } from '../abi/errno.js';
import type { ForkImage } from '../abi/boot.js';
import { GLOBAL_EXPORT_PREFIX } from './asyncify.js';
import type { Syscalls } from './syscall.js';
import type { UserMemory } from './uaccess.js';
import type { Signals } from './signals.js';
import * as bsd from './bsd_user.js';

/** Asyncify's states (asyncify_get_state). */
const REWINDING = 2;
/** The unwind buffer's header: where the saved stack goes on, and where it must end. */
const UNWIND_HEADER = 8;
/** A buffer smaller than this cannot hold even fork's own caller. */
const UNWIND_MIN = 256;

/** What the Asyncify pass exports. */
interface Asyncify {
  asyncify_start_unwind(data: number): void;
  asyncify_stop_unwind(): void;
  asyncify_start_rewind(data: number): void;
  asyncify_stop_rewind(): void;
  asyncify_get_state(): number;
}

/** How the library hands the host a child's image (to the worker the server named). */
export type PostImage = (worker: number, image: ForkImage) => void;

export class Fork {
  private program: WebAssembly.Module | undefined;
  private asyncify: Asyncify | undefined;
  private memory: WebAssembly.Memory | undefined;
  private globals: WebAssembly.Global[] = [];
  /** Set by the fork call while the program unwinds: where its stack goes and where the child's pid is written. */
  private unwinding: { unwind: number; childOut: number } | undefined;
  /** What the fork call returns once the program has wound back into it. */
  private result: { errno: number; pid: number } | undefined;

  constructor(private sys: Syscalls, private mem: UserMemory, private signals: Signals, private post: PostImage) {}

  /** The running instance of `program`: the pass's exports, if it was made able to fork. */
  bind(program: WebAssembly.Module, instance: WebAssembly.Instance): void {
    const x = instance.exports;
    this.program = program;
    this.memory = x.memory as WebAssembly.Memory;
    if (typeof x.asyncify_start_unwind === 'function') this.asyncify = x as unknown as Asyncify;
    this.globals = Object.keys(x).filter((name) => name.startsWith(GLOBAL_EXPORT_PREFIX)).sort().map((name) => x[name] as WebAssembly.Global);
  }

  /**
   * The fork import: unwind the program (the result comes when it winds back), or, winding back,
   * return the result. ENOSYS in a signal handler (the library, not the program, is below it on the
   * stack) or in a program not made able to fork.
   */
  call(unwind: number, len: number, childOut: number): number {
    const x = this.asyncify;
    if (!x) return ENOSYS;
    if (x.asyncify_get_state() === REWINDING) {
      x.asyncify_stop_rewind();
      const { errno, pid } = this.result!;
      this.result = undefined;
      if (errno === ESUCCESS) this.mem.setU32(childOut, pid);
      return errno;
    }
    if (this.signals.handling) return ENOSYS;
    this.mem.bytes(unwind, len); // a bad pointer is EFAULT before anything happens
    this.mem.bytes(childOut, 4);
    if (len < UNWIND_MIN) return EINVAL;
    this.mem.setU32(unwind, unwind + UNWIND_HEADER);
    this.mem.setU32(unwind + 4, unwind + len);
    this.unwinding = { unwind, childOut };
    x.asyncify_start_unwind(unwind);
    return 0; // not seen: the program unwinds
  }

  /** After _start returned: if the program unwound for fork, make the child and start winding back (true: call _start again). */
  unwound(): boolean {
    const u = this.unwinding;
    if (!u) return false;
    this.unwinding = undefined;
    const x = this.asyncify!;
    x.asyncify_stop_unwind();
    const { errno, pid, worker } = bsd.fork(this.sys);
    if (errno === ESUCCESS) this.post(worker, this.image(u.unwind, u.childOut));
    this.result = { errno, pid };
    x.asyncify_start_rewind(u.unwind);
    return true;
  }

  /** The program's state now, for a child. */
  private image(unwind: number, childOut: number): ForkImage {
    return {
      program: this.program!, memory: this.memory!.buffer.slice(0), globals: this.globals.map((g) => g.value as number | bigint),
      unwind, childOut, dispatcher: this.signals.dispatcherIndex,
    };
  }

  /** In the child, before _start: the parent's memory and globals, and winding back into its fork call, which returns 0. */
  restore(image: ForkImage): void {
    const memory = this.memory!;
    const more = image.memory.byteLength - memory.buffer.byteLength;
    if (more > 0) memory.grow(more / 65536);
    new Uint8Array(memory.buffer).set(new Uint8Array(image.memory));
    image.globals.forEach((value, i) => (this.globals[i].value = value));
    if (image.dispatcher >= 0) this.signals.setDispatcher(image.dispatcher);
    this.result = { errno: ESUCCESS, pid: 0 };
    this.asyncify!.asyncify_start_rewind(image.unwind);
  }
}
