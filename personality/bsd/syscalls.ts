// The BSD system-call table: the dispatch table generated from abi/bsd.defs (bsd_server.ts), bound to
// this server's handlers. A handler gets its call's typed, already checked arguments (paths decoded,
// data and result rooms as views of the caller's window), acts, and returns its typed results; it
// throws VfsError for an errno, or Blocked when the call must wait (the dispatcher in server.ts parks
// it on the channels it names: wait.ts). Unknown numbers get ENOSYS there, and the trace hook is there too.
import { bsdRoutines, type BsdServer, type Routine } from './bsd_server.js';
import type { Process } from './proc.js';
import type { Personality } from '../server.js';
import { sysNull, sysFork, sysExit, sysTrace, sysWait4, sysSetpgid, sysGetpgid, sysSetsid, sysGetsid } from './sys_proc.js';
import * as sig from './sys_sig.js';
import { sysExecve, sysPosixSpawn } from './sys_exec.js';
import * as file from './sys_file.js';
import * as dir from './sys_dir.js';
import * as path from './sys_path.js';
import { sysPoll } from './sys_poll.js';
import { sysSocket } from './sys_socket.js';
import * as tty from './sys_tty.js';

/** One call as the server received it: the caller, the routine and its decoded arguments. */
export class Request {
  private firstSeen = -1;
  /** What a handler keeps across the tries of a parked call (a spawn's compiling program, a mach_msg that has sent). */
  state: unknown;
  /** A signal interrupted its wait, and its routine answers that itself (mach/mach_traps.ts SELF_INTERRUPTED). */
  interrupted = false;

  constructor(readonly proc: Process, readonly routine: Routine<Request>, readonly args: object, readonly server: Personality) {}

  /** performance.now() when a handler first asked (a parked call keeps it): where its timeout counts from. */
  get started(): number {
    if (this.firstSeen < 0) this.firstSeen = performance.now();
    return this.firstSeen;
  }
}

const HANDLERS: BsdServer<Request> = {
  null: sysNull,
  trace: sysTrace,
  exit: sysExit,
  fork: sysFork,
  kill: sig.sysKill,
  sigaction: sig.sysSigaction,
  sigprocmask: sig.sysSigprocmask,
  sigpending: sig.sysSigpending,
  sigsuspend: sig.sysSigsuspend,
  setitimer: sig.sysSetitimer,
  sigtake: sig.sysSigtake,
  wait4: sysWait4,
  setpgid: sysSetpgid,
  getpgid: sysGetpgid,
  setsid: sysSetsid,
  getsid: sysGetsid,
  posix_spawn: sysPosixSpawn,
  execve: sysExecve,
  read: file.sysRead,
  write: file.sysWrite,
  pread: file.sysPread,
  pwrite: file.sysPwrite,
  close: file.sysClose,
  lseek: file.sysLseek,
  fsync: file.sysFsync,
  fdatasync: file.sysFdatasync,
  fstat: file.sysFstat,
  ftruncate: file.sysFtruncate,
  futimens: file.sysFutimens,
  fdstat: file.sysFdstat,
  fd_set_flags: file.sysFdSetFlags,
  fcntl: file.sysFcntl,
  dup: file.sysDup,
  dup2: file.sysDup2,
  pipe: file.sysPipe,
  pipe_notify: file.sysPipeNotify,
  fd_set_rights: file.sysFdSetRights,
  fadvise: file.sysFadvise,
  fallocate: file.sysFallocate,
  renumber: file.sysRenumber,
  prestat: dir.sysPrestat,
  prestat_dir_name: dir.sysPrestatDirName,
  getdirentries: dir.sysGetdirentries,
  openat: path.sysOpenat,
  mkdirat: path.sysMkdirat,
  unlinkat: path.sysUnlinkat,
  renameat: path.sysRenameat,
  linkat: path.sysLinkat,
  symlinkat: path.sysSymlinkat,
  readlinkat: path.sysReadlinkat,
  fstatat: path.sysFstatat,
  utimensat: path.sysUtimensat,
  poll: sysPoll,
  recvfrom: sysSocket,
  accept: sysSocket,
  sendto: sysSocket,
  shutdown: sysSocket,
  tcgetattr: tty.sysTcgetattr,
  tcsetattr: tty.sysTcsetattr,
  tcgetpgrp: tty.sysTcgetpgrp,
  tcsetpgrp: tty.sysTcsetpgrp,
  tcgetsid: tty.sysTcgetsid,
  tcgetwinsize: tty.sysTcgetwinsize,
  tcflush: tty.sysTcflush,
};

/** Routine number -> decoder, handler and encoder. */
export const SYSCALLS: ReadonlyMap<number, Routine<Request>> = bsdRoutines(HANDLERS);
