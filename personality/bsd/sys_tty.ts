// Terminal system calls (XNU's tty ioctls, as POSIX's termios functions): the modes (tcgetattr,
// tcsetattr), the foreground process group (tcgetpgrp, tcsetpgrp), the session (tcgetsid), the
// window size and discarding input. Each checks that the descriptor is the terminal (ENOTTY) and,
// where POSIX says so, that it is the caller's controlling terminal; the terminal is vfs/tty.ts.
import { EINVAL, ENOTTY, EPERM, SIGTTOU } from '../../abi/errno.js';
import { ConsoleNode } from '../vfs/console.js';
import { NCCS, TCIFLUSH, TCIOFLUSH, TCOFLUSH, type Tty } from '../vfs/tty.js';
import { VfsError } from '../vfs/vnode.js';
import { groupInSession } from './sys_proc.js';
import type { Request } from './syscalls.js';
import type {
  TcflushIn, TcgetattrIn, TcgetattrOut, TcgetpgrpIn, TcgetpgrpOut, TcgetsidIn, TcgetsidOut, TcgetwinsizeIn, TcgetwinsizeOut,
  TcsetattrIn, TcsetpgrpIn,
} from './bsd_server.js';

/** The terminal descriptor `fd` refers to: EBADF, or ENOTTY when it is something else. */
function terminalOf(r: Request, fd: number): Tty {
  const node = r.proc.fds.get(fd).file.vnode;
  const tty = node instanceof ConsoleNode ? node.tty : undefined;
  if (!tty) throw new VfsError(ENOTTY);
  return tty;
}

/** The terminal of `fd`, which must be the caller's controlling terminal (ENOTTY otherwise). */
function controllingTerminal(r: Request, fd: number): Tty {
  const tty = terminalOf(r, fd);
  if (tty.session === 0 || tty.session !== r.proc.sid) throw new VfsError(ENOTTY);
  return tty;
}

export function sysTcgetattr(r: Request, a: TcgetattrIn): TcgetattrOut {
  const { iflag, oflag, cflag, lflag, cc } = terminalOf(r, a.fd).termios;
  const n = Math.min(a.cc.length, NCCS);
  a.cc.set(cc.subarray(0, n));
  return { iflag, oflag, cflag, lflag, cc: n };
}

export function sysTcsetattr(r: Request, a: TcsetattrIn): void {
  const tty = terminalOf(r, a.fd);
  tty.jobControl(r.proc, SIGTTOU);
  tty.setAttr(a.when, { iflag: a.iflag, oflag: a.oflag, cflag: a.cflag, lflag: a.lflag, cc: a.cc });
  r.server.terminalModesChanged();
}

export function sysTcgetpgrp(r: Request, a: TcgetpgrpIn): TcgetpgrpOut {
  return { pgrp: controllingTerminal(r, a.fd).pgrp };
}

export function sysTcsetpgrp(r: Request, a: TcsetpgrpIn): void {
  const tty = controllingTerminal(r, a.fd);
  if (a.pgrp < 0) throw new VfsError(EINVAL);
  tty.jobControl(r.proc, SIGTTOU);
  if (!groupInSession(r, a.pgrp, r.proc.sid)) throw new VfsError(EPERM);
  tty.pgrp = a.pgrp;
  r.server.wakeup(tty.channel); // a reader now in the background stops (SIGTTIN) when it tries again
}

export function sysTcgetsid(r: Request, a: TcgetsidIn): TcgetsidOut {
  return { sid: controllingTerminal(r, a.fd).session };
}

export function sysTcgetwinsize(r: Request, a: TcgetwinsizeIn): TcgetwinsizeOut {
  const tty = terminalOf(r, a.fd);
  return { rows: tty.rows, cols: tty.cols };
}

export function sysTcflush(r: Request, a: TcflushIn): void {
  const tty = terminalOf(r, a.fd);
  if (a.queue !== TCIFLUSH && a.queue !== TCOFLUSH && a.queue !== TCIOFLUSH) throw new VfsError(EINVAL);
  tty.jobControl(r.proc, SIGTTOU);
  if (a.queue !== TCOFLUSH) tty.flushInput();
}
