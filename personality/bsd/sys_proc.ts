// Process system calls: the null call, the library's trace lines, exit, and wait4 (a child's end).
import { ECHILD, EINVAL } from '../../abi/errno.js';
import type { ExitStatus } from '../../abi/exit.js';
import { Blocked } from './wait.js';
import { VfsError } from '../vfs/vnode.js';
import type { Request } from './syscalls.js';
import type { ExitIn, TraceIn, Wait4In, Wait4Out } from './bsd_server.js';

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

/** wait4's options: WNOHANG; WUNTRACED and WCONTINUED are accepted (no stopped processes yet). */
const WNOHANG = 1;
const WAIT_OPTIONS = WNOHANG | 2 | 8;

/** The wait status a parent sees (as <sys/wait.h> decodes it): the exit code in bits 8-15, or the signal in bits 0-6. */
export function waitStatus(status: ExitStatus): number {
  return 'code' in status ? (status.code & 0xff) << 8 : status.signal & 0x7f;
}

/**
 * wait4: a child that has ended (pid -1 or, until process groups, 0 and < -1: any; > 0: that one)
 * is reaped and its status returned; with none yet, WNOHANG answers child 0 and otherwise the call
 * sleeps until a child of this process ends. ECHILD when there is no such child.
 */
export function sysWait4(r: Request, a: Wait4In): Wait4Out {
  if (a.options & ~WAIT_OPTIONS) throw new VfsError(EINVAL);
  const pm = r.server.pm;
  const kids = pm.procs.children(r.proc).filter((c) => a.pid <= 0 || c.pid === a.pid);
  if (kids.length === 0) throw new VfsError(ECHILD);
  const zombie = kids.find((c) => c.zombie);
  if (zombie) {
    pm.reap(zombie);
    return { child: zombie.pid, status: waitStatus(zombie.status!) };
  }
  if (a.options & WNOHANG) return { child: 0, status: 0 };
  throw new Blocked([r.proc.childExit]);
}
