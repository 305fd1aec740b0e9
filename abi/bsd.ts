// What the BSD system-call interface shares beside its definition (abi/bsd.defs, from which the
// stubs in libsystem/bsd_user.ts and the decoders in personality/bsd/bsd_server.ts are generated):
// the server's capability slot, flag values (the signal calls' among them), the words a 64-bit value
// travels in, and the codes of an exception message.

/** Capability slot, in every task's capability space, naming the personality server. */
export const SERVER_CAP = 0;

/** unlinkat's flag: remove a directory (as XNU's AT_REMOVEDIR). */
export const AT_REMOVEDIR = 0x80;

/** sigaction's `action`: the default, ignore, or the program's handler. */
export const SIG_DFL = 0;
export const SIG_IGN = 1;
export const SIG_CATCH = 2;

/** sigprocmask's `how`, as <signal.h> numbers them. */
export const SIG_BLOCK = 0;
export const SIG_UNBLOCK = 1;
export const SIG_SETMASK = 2;

/** The sa_flags the server and the task library act on (Linux's values, as wasi-libc's <signal.h> has them). */
/** SIGCHLD's: no SIGCHLD when a child stops or continues. */
export const SA_NOCLDSTOP = 1;
export const SA_RESTART = 0x10000000;
export const SA_NODEFER = 0x40000000;
export const SA_RESETHAND = 0x80000000 | 0;

/** The low word of a 64-bit value as it travels (lo, then hi). */
export function wordLo(x: bigint): number {
  return Number(BigInt.asUintN(32, x)) | 0;
}

/** The high word of a 64-bit value (negative values as their two's complement). */
export function wordHi(x: bigint): number {
  return Number(BigInt.asUintN(32, x >> 32n)) | 0;
}

/** The 64-bit value two words (lo, hi) carry. */
export function wordsU64(lo: number, hi: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

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
