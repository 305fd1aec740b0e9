// Process system calls: the null call, the library's trace lines, fork, exit, wait4 (a child's end),
// and process groups and sessions (setpgid, getpgid, setsid, getsid); wait4 hears of stopped and
// continued children too (job control).
import { EACCES, EAGAIN, ECHILD, EINVAL, EPERM, ESRCH } from '../../abi/errno.js';
import { SpawnError } from './kern_proc.js';
import type { ExitStatus } from '../../abi/exit.js';
import { Blocked } from './wait.js';
import { VfsError } from '../vfs/vnode.js';
import type { Request } from './syscalls.js';
import type { ForkOut, ExitIn, GetpgidIn, GetpgidOut, GetsidIn, GetsidOut, SetpgidIn, SetsidOut, TraceIn, Wait4In, Wait4Out } from './bsd_server.js';
import type { Process } from './proc.js';

export function sysNull(): void {}

const decoder = new TextDecoder();

/** A trace line from the task library (only sent when tracing). */
export function sysTrace(r: Request, a: TraceIn): void {
  r.server.traceLine(decoder.decode(a.line.slice()));
}

/** fork: the child, and the worker the caller's library hands its memory image for (EAGAIN if no process can be made). */
export function sysFork(r: Request): ForkOut {
  try {
    const child = r.server.pm.fork(r.proc);
    return { pid: child.pid, worker: child.worker };
  } catch (e) {
    if (e instanceof SpawnError) throw new VfsError(EAGAIN, e.message);
    throw e;
  }
}

/** exit(status): the process ends; the status a parent (or the CLI) sees is its low 8 bits. */
export function sysExit(r: Request, a: ExitIn): void {
  r.server.end(r.proc, { code: a.status & 0xff });
}

/** wait4's options: WNOHANG, WUNTRACED (report a child that stopped), WCONTINUED (one that continued). */
const WNOHANG = 1;
const WUNTRACED = 2;
const WCONTINUED = 8;
const WAIT_OPTIONS = WNOHANG | WUNTRACED | WCONTINUED;

/** The wait status a parent sees (as <sys/wait.h> decodes it): the exit code in bits 8-15, or the signal in bits 0-6. */
export function waitStatus(status: ExitStatus): number {
  return 'code' in status ? (status.code & 0xff) << 8 : status.signal & 0x7f;
}

/** Whether child `c` is one that wait4's `pid` names: any (-1), that one (> 0), of the caller's group (0), of group -pid (< -1). */
function waitMatches(r: Request, c: Process, pid: number): boolean {
  if (pid === -1) return true;
  if (pid > 0) return c.pid === pid;
  return c.pgid === (pid === 0 ? r.proc.pgid : -pid);
}

/** A stop or continue that `options` asks to hear of, taken from child `c` as a wait status. */
function jobReport(c: Process, options: number): number | undefined {
  const report = c.report;
  if (c.status || report === undefined) return undefined;
  if (report === 'continued' && !(options & WCONTINUED)) return undefined;
  if (report !== 'continued' && !(options & WUNTRACED)) return undefined;
  c.report = undefined;
  return report === 'continued' ? 0xffff : ((report.stopped & 0xff) << 8) | 0x7f;
}

/**
 * wait4: a child that has ended (pid as waitMatches says) is reaped and its status returned; with
 * WUNTRACED or WCONTINUED, a child that stopped or continued since last heard of is reported (not
 * reaped); with none yet, WNOHANG answers child 0 and otherwise the call sleeps until a child of
 * this process ends, stops or continues. ECHILD when there is no such child.
 */
export function sysWait4(r: Request, a: Wait4In): Wait4Out {
  if (a.options & ~WAIT_OPTIONS) throw new VfsError(EINVAL);
  const pm = r.server.pm;
  const kids = pm.procs.children(r.proc).filter((c) => waitMatches(r, c, a.pid));
  if (kids.length === 0) throw new VfsError(ECHILD);
  const zombie = kids.find((c) => c.status);
  if (zombie) {
    pm.reap(zombie);
    return { child: zombie.pid, status: waitStatus(zombie.status!) };
  }
  for (const c of kids) {
    const status = jobReport(c, a.options);
    if (status !== undefined) return { child: c.pid, status };
  }
  if (a.options & WNOHANG) return { child: 0, status: 0 };
  throw new Blocked([r.proc.childExit]);
}

/** The caller (pid 0) or process `pid`, if it is running; ESRCH if not. */
function processOf(r: Request, pid: number): Process {
  const p = pid === 0 ? r.proc : r.server.pm.procs.byPid(pid);
  if (!p || p.status) throw new VfsError(ESRCH);
  return p;
}

/** Whether group `pgid` has a member in session `sid` (a zombie not yet reaped is still one, as POSIX has it). */
export function groupInSession(r: Request, pgid: number, sid: number): boolean {
  return r.server.pm.procs.all().some((p) => !p.reaped && p.pgid === pgid && p.sid === sid);
}

export function sysSetpgid(r: Request, a: SetpgidIn): void {
  if (a.pgid < 0) throw new VfsError(EINVAL);
  const target = processOf(r, a.pid);
  if (target !== r.proc && target.ppid !== r.proc.pid) throw new VfsError(ESRCH);
  if (target !== r.proc && target.execed) throw new VfsError(EACCES); // a child that has run a program of its own
  if (target !== r.proc && target.sid !== r.proc.sid) throw new VfsError(EPERM);
  if (target.pid === target.sid) throw new VfsError(EPERM); // a session leader
  const pgid = a.pgid === 0 ? target.pid : a.pgid;
  if (pgid !== target.pid && !groupInSession(r, pgid, r.proc.sid)) throw new VfsError(EPERM);
  target.pgid = pgid;
}

export function sysGetpgid(r: Request, a: GetpgidIn): GetpgidOut {
  return { pgid: processOf(r, a.pid).pgid };
}

export function sysSetsid(r: Request): SetsidOut {
  const p = r.proc;
  if (r.server.pm.procs.running().some((q) => q.pgid === p.pid)) throw new VfsError(EPERM);
  p.sid = p.pgid = p.pid;
  return { sid: p.sid };
}

export function sysGetsid(r: Request, a: GetsidIn): GetsidOut {
  return { sid: processOf(r, a.pid).sid };
}
