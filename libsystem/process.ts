// Runs a program in this task worker: instantiate it with the WASI and webmach imports (a forked
// child: then put its parent's memory in place), call _start (again each time the program unwound
// for a fork), and turn the way it ends into what the server must hear: a normal return is exit(0),
// proc_exit already told the server, an execve was done by the server (the worker runs the next
// program), and a trap (in the start function too) becomes exception IPC to the task's handler
// (lackorzynski-2004 4.1.3).
import { Syscalls } from './syscall.js';
import { processStarted } from './clock.js';
import { Wasi, ProcExit, ProcExec } from './wasi.js';
import { Commpage } from './commpage.js';
import type { PostImage } from './fork.js';
import type { ForkImage } from '../abi/boot.js';
import { TRAP } from '../abi/bsd.js';
import * as bsd from './bsd_user.js';

/** Which TRAP a JS exception from running Wasm code is, or undefined if it is not a Wasm trap. */
export function trapCode(e: unknown): number | undefined {
  if (e instanceof RangeError && /call stack/i.test(e.message)) return TRAP.stackOverflow;
  if (!(e instanceof WebAssembly.RuntimeError)) return undefined;
  const m = e.message;
  if (/unreachable/.test(m)) return TRAP.unreachable;
  if (/out of bounds/.test(m) && !/table/.test(m)) return TRAP.memoryOutOfBounds;
  if (/by zero/.test(m)) return TRAP.divideByZero;
  if (/overflow|unrepresentable/.test(m)) return TRAP.integerOverflow;
  if (/indirect|function|table|signature/.test(m)) return TRAP.indirectCall;
  return TRAP.other;
}

/**
 * Run `program` to its end, from its start or (a forked child) from its parent's `image`; 'exec'
 * when it ended by a successful execve (the worker then runs the next one).
 */
export async function runProgram(program: WebAssembly.Module, sys: Syscalls, commpage: number, post: PostImage, image?: ForkImage): Promise<'exec' | undefined> {
  processStarted();
  const wasi = new Wasi(sys, new Commpage(sys.k.memory, commpage), post);
  try {
    // Instantiation runs the module's start function, if it has one: a trap there is a trap like any.
    const instance = new WebAssembly.Instance(program, wasi.imports()); // (synchronous: a worker may, and it saves a turn of the event loop)
    wasi.mem.bind(instance.exports.memory as WebAssembly.Memory);
    wasi.signals.bind(instance);
    wasi.fork.bind(program, instance);
    if (image) wasi.fork.restore(image);
    const start = instance.exports._start as () => void;
    do start();
    while (wasi.fork.unwound());
    bsd.exit(sys, 0);
  } catch (e) {
    if (e instanceof ProcExit) return undefined;
    if (e instanceof ProcExec) return 'exec';
    const code = trapCode(e);
    if (code === undefined) throw e;
    sys.trap(code);
  }
}
