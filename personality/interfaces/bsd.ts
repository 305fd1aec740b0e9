// The BSD system-call interface between the task library and the personality server, defined once:
// call numbers (the message label) and how each call's arguments and results sit in the message
// registers. libsystem's stubs and the server's table both import it.
// Numbers follow the papers' convention: BSD calls positive, Mach traps negative (birch-2005 3.4.1).

/** Capability slot, in every task's capability space, naming the personality server. */
export const SERVER_CAP = 0;

export const SYS = {
  /** No-op round trip. In: nothing. Out: MR1 = 0. */
  null: 0,
  /** Terminate the process. In: MR1 = status. Out: MR1 = 0 (then the task library ends the program). */
  exit: 1,
  /** Write bytes. In: MR1 = fd, bulk item = the bytes. Out: MR1 = errno, MR2 = bytes written. */
  write: 4,
} as const;

export type SysName = keyof typeof SYS;

/** An exception message's MR1: what trapped (the task library fills it, the server maps it to a signal). */
export const TRAP = {
  unreachable: 1,
  memoryOutOfBounds: 2,
  stackOverflow: 3,
  divideByZero: 4,
  integerOverflow: 5,
  indirectCall: 6,
  other: 7,
} as const;
