// Process system calls: the null call, the library's trace lines, exit, and kill (a signal the process sends itself: WASI
// proc_raise). Without handlers yet, a signal takes its default action: the ones POSIX ignores by
// default are ignored, and so are the stop signals (no job control yet); every other one ends the process.
import { EINVAL } from '../interfaces/errno.js';
import { VfsError } from '../vfs/vnode.js';
import type { Request } from './syscalls.js';

/** WASI signal numbers whose default action is not to terminate: CHLD, CONT, STOP, TSTP, TTIN, TTOU, URG, WINCH. */
const NOT_FATAL = new Set([16, 17, 18, 19, 20, 21, 22, 27]);
const MAX_SIGNAL = 30;

export function sysNull(): readonly number[] {
  return [];
}

const decoder = new TextDecoder();

/** A trace line from the task library (only sent when tracing). */
export function sysTrace(r: Request): readonly number[] {
  r.server.traceLine(decoder.decode(r.data(r.word(0)).slice()));
  return [];
}

/** exit(status): the process ends; the status a parent (or the CLI) sees is its low 8 bits. */
export function sysExit(r: Request): readonly number[] {
  r.server.end(r.proc, { code: r.word(0) & 0xff });
  return [];
}

/** Returns 1 when the signal ended the process (the task library then stops the program). */
export function sysKill(r: Request): readonly number[] {
  const signal = r.word(0);
  if (signal > MAX_SIGNAL) throw new VfsError(EINVAL);
  if (signal === 0 || NOT_FATAL.has(signal)) return [0];
  r.server.end(r.proc, { signal, reason: 'raised by the program' });
  return [1];
}
