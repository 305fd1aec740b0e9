// errno values as WASI preview1 numbers them (the task library hands them to programs unchanged), and the
// signal numbers a process can end with. Shared by libsystem and the personality server.
export const ESUCCESS = 0;
export const EBADF = 8;
export const EFAULT = 21;
export const EINVAL = 28;
export const EIO = 29;
export const ENOSYS = 52;

/** Signals, numbered as on Linux/BSD for the ones a trap can raise. */
export const SIGILL = 4;
export const SIGFPE = 8;
export const SIGKILL = 9;
export const SIGSEGV = 11;

export const SIGNAL_NAMES: Readonly<Record<number, string>> = {
  [SIGILL]: 'SIGILL',
  [SIGFPE]: 'SIGFPE',
  [SIGKILL]: 'SIGKILL',
  [SIGSEGV]: 'SIGSEGV',
};
