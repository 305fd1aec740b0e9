// Process system calls: the null call, the library's trace lines, exit, and kill (a signal the process sends itself: WASI
// proc_raise). Without handlers yet, a signal takes its default action: the ones POSIX ignores by
// default are ignored, and so are the stop signals (no job control yet); every other one ends the process.
import { EINVAL } from '../interfaces/errno.js';
import { VfsError } from '../vfs/vnode.js';
import type { Request } from './syscalls.js';
import type { ExitIn, KillIn, KillOut, TraceIn } from './bsd_server.js';

/** WASI signal numbers whose default action is not to terminate: CHLD, CONT, STOP, TSTP, TTIN, TTOU, URG, WINCH. */
const NOT_FATAL = new Set([16, 17, 18, 19, 20, 21, 22, 27]);
const MAX_SIGNAL = 30;

export function sysNull(): void {}

const decoder = new TextDecoder();

/** A trace line from the task library (only sent when tracing). */
export function sysTrace(r: Request, a: TraceIn): void {
  r.server.traceLine(decoder.decode(a.line.slice()));
}

/** exit(status): the process ends; the status a parent (or the CLI) sees is its low 8 bits. */
export function sysExit(r: Request, a: ExitIn): void {
  r.server.end(r.proc, { code: a.status & 0xff });
}

/** Returns 1 when the signal ended the process (the task library then stops the program). */
export function sysKill(r: Request, a: KillIn): KillOut {
  const signal = a.signal;
  if (signal < 0 || signal > MAX_SIGNAL) throw new VfsError(EINVAL);
  if (signal === 0 || NOT_FATAL.has(signal)) return { terminated: 0 };
  r.server.end(r.proc, { signal, reason: 'raised by the program' });
  return { terminated: 1 };
}
