// errno values as WASI preview1 numbers them (the task library hands them to programs unchanged), and the
// signal numbers a process can end with. Shared by libsystem and the personality server.
// Source: the WASI preview1 witx (`$errno`, `$signal`); the names are the POSIX ones without the E.

export const ERRNO_NAMES = [
  'SUCCESS', '2BIG', 'ACCES', 'ADDRINUSE', 'ADDRNOTAVAIL', 'AFNOSUPPORT', 'AGAIN', 'ALREADY', 'BADF', 'BADMSG',
  'BUSY', 'CANCELED', 'CHILD', 'CONNABORTED', 'CONNREFUSED', 'CONNRESET', 'DEADLK', 'DESTADDRREQ', 'DOM', 'DQUOT',
  'EXIST', 'FAULT', 'FBIG', 'HOSTUNREACH', 'IDRM', 'ILSEQ', 'INPROGRESS', 'INTR', 'INVAL', 'IO',
  'ISCONN', 'ISDIR', 'LOOP', 'MFILE', 'MLINK', 'MSGSIZE', 'MULTIHOP', 'NAMETOOLONG', 'NETDOWN', 'NETRESET',
  'NETUNREACH', 'NFILE', 'NOBUFS', 'NODEV', 'NOENT', 'NOEXEC', 'NOLCK', 'NOLINK', 'NOMEM', 'NOMSG',
  'NOPROTOOPT', 'NOSPC', 'NOSYS', 'NOTCONN', 'NOTDIR', 'NOTEMPTY', 'NOTRECOVERABLE', 'NOTSOCK', 'NOTSUP', 'NOTTY',
  'NXIO', 'OVERFLOW', 'OWNERDEAD', 'PERM', 'PIPE', 'PROTO', 'PROTONOSUPPORT', 'PROTOTYPE', 'RANGE', 'ROFS',
  'SPIPE', 'SRCH', 'STALE', 'TIMEDOUT', 'TXTBSY', 'XDEV', 'NOTCAPABLE',
] as const;

export const ESUCCESS = 0;
export const E2BIG = 1;
export const EACCES = 2;
export const EAGAIN = 6;
export const EBADF = 8;
export const EBUSY = 10;
export const ECHILD = 12;
export const EDQUOT = 19;
export const EEXIST = 20;
export const EFAULT = 21;
export const EFBIG = 22;
export const EILSEQ = 25;
export const EINTR = 27;
export const EINVAL = 28;
export const EIO = 29;
export const EISDIR = 31;
export const ELOOP = 32;
export const EMFILE = 33;
export const EMLINK = 34;
export const EMSGSIZE = 35;
export const ENAMETOOLONG = 37;
export const ENFILE = 41;
export const ENODEV = 43;
export const ENOENT = 44;
export const ENOEXEC = 45;
export const ENOMEM = 48;
export const ENOSPC = 51;
export const ENOSYS = 52;
export const ENOTDIR = 54;
export const ENOTEMPTY = 55;
export const ENOTSOCK = 57;
export const ENOTSUP = 58;
export const ENOTTY = 59;
export const ENXIO = 60;
export const EOVERFLOW = 61;
export const EPERM = 63;
export const EPIPE = 64;
export const ERANGE = 68;
export const EROFS = 69;
export const ESPIPE = 70;
export const ESRCH = 71;
export const ESTALE = 72;
export const ETXTBSY = 74;
export const EXDEV = 75;
export const ENOTCAPABLE = 76;

/** "ENOENT" for 44: for traces and messages. */
export function errnoName(errno: number): string {
  return errno >= 0 && errno < ERRNO_NAMES.length ? `E${ERRNO_NAMES[errno]}` : `errno ${errno}`;
}

/**
 * Signals, numbered as Linux and wasi-libc's <signal.h> number them (webmach's signal calls use these;
 * WASI's `$signal`, which proc_raise takes, is the same up to SIGTERM: see wasiSignal).
 */
export const SIGHUP = 1;
export const SIGINT = 2;
export const SIGQUIT = 3;
export const SIGILL = 4;
export const SIGTRAP = 5;
export const SIGABRT = 6;
export const SIGBUS = 7;
export const SIGFPE = 8;
export const SIGKILL = 9;
export const SIGUSR1 = 10;
export const SIGSEGV = 11;
export const SIGUSR2 = 12;
export const SIGPIPE = 13;
export const SIGALRM = 14;
export const SIGTERM = 15;
export const SIGSTKFLT = 16;
export const SIGCHLD = 17;
export const SIGCONT = 18;
export const SIGSTOP = 19;
export const SIGTSTP = 20;
export const SIGTTIN = 21;
export const SIGTTOU = 22;
export const SIGURG = 23;
export const SIGXCPU = 24;
export const SIGXFSZ = 25;
export const SIGVTALRM = 26;
export const SIGPROF = 27;
export const SIGWINCH = 28;
export const SIGIO = 29;
export const SIGPWR = 30;
export const SIGSYS = 31;
/** The highest signal number. */
export const NSIG = 31;

/** WASI's `$signal` numbers (proc_raise) as Linux's: they agree up to SIGTERM, then WASI has no SIGSTKFLT. */
export function wasiSignal(n: number): number {
  return n <= SIGTERM || n > SIGSYS ? n : n + 1;
}

/**
 * The library's answer to a call a caught signal interrupted when its handler asked for SA_RESTART:
 * deliver the signal, then make the call again. Never reaches a program (outside WASI's errno range).
 */
export const RESTART_SYSCALL = 0xfff0;

/**
 * The task library's own answer when a read or write waiting on a ring in the task (a pipe's, the
 * console's) saw a caught signal come: run the handlers, then make the call again if they all asked
 * for SA_RESTART, or answer EINTR. Never reaches a program.
 */
export const INTERRUPTED = 0xfff1;

export const SIGNAL_NAMES: Readonly<Record<number, string>> = {
  [SIGHUP]: 'SIGHUP', [SIGINT]: 'SIGINT', [SIGQUIT]: 'SIGQUIT', [SIGILL]: 'SIGILL', [SIGTRAP]: 'SIGTRAP',
  [SIGABRT]: 'SIGABRT', [SIGBUS]: 'SIGBUS', [SIGFPE]: 'SIGFPE', [SIGKILL]: 'SIGKILL', [SIGUSR1]: 'SIGUSR1',
  [SIGSEGV]: 'SIGSEGV', [SIGUSR2]: 'SIGUSR2', [SIGPIPE]: 'SIGPIPE', [SIGALRM]: 'SIGALRM', [SIGTERM]: 'SIGTERM',
  [SIGSTKFLT]: 'SIGSTKFLT', [SIGCHLD]: 'SIGCHLD', [SIGCONT]: 'SIGCONT', [SIGSTOP]: 'SIGSTOP', [SIGTSTP]: 'SIGTSTP',
  [SIGTTIN]: 'SIGTTIN', [SIGTTOU]: 'SIGTTOU', [SIGURG]: 'SIGURG', [SIGXCPU]: 'SIGXCPU', [SIGXFSZ]: 'SIGXFSZ',
  [SIGVTALRM]: 'SIGVTALRM', [SIGPROF]: 'SIGPROF', [SIGWINCH]: 'SIGWINCH', [SIGIO]: 'SIGIO', [SIGPWR]: 'SIGPWR', [SIGSYS]: 'SIGSYS',
};
