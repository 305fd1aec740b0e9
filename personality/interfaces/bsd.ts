// The BSD system-call interface between the task library and the personality server, defined once:
// each call's number (the message label), its argument words (MR1..) and its result words (after the
// errno in MR1 of the reply; a reply without results carries the errno as its label instead, a short
// message). libsystem's stubs, the server's table and the trace all read this.
// Numbers follow XNU's syscalls.master where XNU has the call; calls WASI needs and XNU lacks are
// numbered from 520. Byte data (paths, buffers, records) travels in the caller's message window, a
// frame of machine memory the server reads and writes in place: paths one after another from offset
// 0 (each argument `path` is its byte length), data after them. 64-bit values take two words (lo, hi).

/** Capability slot, in every task's capability space, naming the personality server. */
export const SERVER_CAP = 0;

/**
 * Argument and result kinds, for decoding and the trace: `fd` a descriptor, `int` a signed word,
 * `size` a byte count, `flags` a bit set (shown in hex), `u64`/`s64` two words, `path` the byte
 * length of a path in the window, `data` the byte length of data in the window.
 */
export type WordKind = 'fd' | 'int' | 'size' | 'flags' | 'u64' | 's64' | 'path' | 'data';

export interface CallSpec {
  readonly number: number;
  /** `kind name`, in order. */
  readonly args: readonly string[];
  /** Result words after the errno, `kind name`. */
  readonly results: readonly string[];
  /** What it does, for docs/syscalls.md. */
  readonly doc: string;
}

export const SYSCALL_SPECS = {
  null: { number: 0, args: [], results: [], doc: 'No-op round trip (the null server call of the benchmarks).' },
  exit: { number: 1, args: ['int status'], results: [], doc: 'End the process with a status.' },
  read: { number: 3, args: ['fd fd', 'size len'], results: ['size n'], doc: 'Read up to len bytes into the window at 0. May block (streams).' },
  write: { number: 4, args: ['fd fd', 'data len'], results: ['size n'], doc: 'Write len bytes from the window at 0.' },
  close: { number: 6, args: ['fd fd'], results: [], doc: 'Close a descriptor (WASI fd_close); closing a preopen is allowed.' },
  recvfrom: { number: 29, args: ['fd fd', 'flags riflags'], results: [], doc: 'WASI sock_recv: EBADF for a bad descriptor, ENOTSOCK for any other (webmach has no sockets yet); likewise accept, sendto and shutdown.' },
  accept: { number: 30, args: ['fd fd', 'flags fdflags'], results: [], doc: 'WASI sock_accept (see recvfrom).' },
  kill: { number: 37, args: ['int signal'], results: ['int terminated'], doc: 'Send a signal to the calling process (WASI proc_raise).' },
  renumber: { number: 90, args: ['fd from', 'fd to'], results: [], doc: 'WASI fd_renumber: `from` replaces `to`, and `from` is closed.' },
  fcntl: { number: 92, args: ['fd fd', 'flags fdflags'], results: [], doc: 'Set the fd flags (F_SETFL): APPEND, NONBLOCK, and the sync flags.' },
  fsync: { number: 95, args: ['fd fd'], results: [], doc: 'WASI fd_sync.' },
  sendto: { number: 133, args: ['fd fd', 'flags siflags'], results: [], doc: 'WASI sock_send (see recvfrom).' },
  shutdown: { number: 134, args: ['fd fd', 'flags how'], results: [], doc: 'WASI sock_shutdown (see recvfrom).' },
  pread: { number: 153, args: ['fd fd', 'size len', 'u64 offset'], results: ['size n'], doc: 'WASI fd_pread: read up to len bytes at offset into the window at 0, without moving the offset.' },
  pwrite: { number: 154, args: ['fd fd', 'data len', 'u64 offset'], results: ['size n'], doc: 'WASI fd_pwrite: write len bytes from the window at offset (at the end for an O_APPEND descriptor, as Linux does).' },
  fdatasync: { number: 187, args: ['fd fd'], results: [], doc: 'WASI fd_datasync.' },
  fstat: { number: 189, args: ['fd fd'], results: ['u64 dev', 'u64 ino', 'int filetype', 'u64 nlink', 'u64 size', 'u64 atim', 'u64 mtim', 'u64 ctim'], doc: 'WASI filestat: dev, ino, filetype, nlink, size, atim, mtim, ctim (u64 each but filetype).' },
  getdirentries: { number: 196, args: ['fd fd', 'size len', 'u64 cookie', 'int truncate'], results: ['size used', 'u64 next', 'int end'], doc: 'Directory entries as WASI dirent records into the window at 0, from `cookie`, at most len bytes. With `truncate` set the last entry is cut to fill len exactly (WASI\'s "buffer full" signal); otherwise only whole entries. Returns the bytes used, the cookie after the last whole entry and whether the directory ended. A listing read in part is kept with the open file (for its cookies) and counts toward the server\'s listing budget: ENOMEM past it.' },
  lseek: { number: 199, args: ['fd fd', 's64 offset', 'int whence'], results: ['u64 position'], doc: 'whence 0/1/2; (0, CUR) is a tell and needs only the tell right.' },
  ftruncate: { number: 201, args: ['fd fd', 'u64 size'], results: [], doc: 'WASI fd_filestat_set_size.' },
  poll: { number: 230, args: ['int count', 'u64 timeout'], results: ['int events'], doc: 'Wait for the subscriptions in the window (WASI subscription records, `count` of them) or the timeout (ns, relative; all ones: none). Writes WASI event records to the window at 0.' },
  openat: { number: 463, args: ['fd dirfd', 'flags lookupflags', 'path path', 'flags oflags', 'u64 rights', 'u64 inheriting', 'flags fdflags'], results: ['fd fd'], doc: "WASI path_open: open or create (oflags CREAT, DIRECTORY, EXCL, TRUNC) relative to dirfd; the new descriptor gets the requested rights that suit the object, which must lie within dirfd's inheriting rights." },
  renameat: { number: 465, args: ['fd fromfd', 'path from', 'fd tofd', 'path to'], results: [], doc: 'WASI path_rename.' },
  fstatat: { number: 469, args: ['fd dirfd', 'flags lookupflags', 'path path'], results: ['u64 dev', 'u64 ino', 'int filetype', 'u64 nlink', 'u64 size', 'u64 atim', 'u64 mtim', 'u64 ctim'], doc: 'WASI path_filestat_get (results as fstat).' },
  linkat: { number: 471, args: ['fd fromfd', 'flags lookupflags', 'path from', 'fd tofd', 'path to'], results: [], doc: 'WASI path_link: a new name `to` for the object at `from`.' },
  unlinkat: { number: 472, args: ['fd dirfd', 'path path', 'flags flags'], results: [], doc: 'flags: AT_REMOVEDIR to remove a directory.' },
  readlinkat: { number: 473, args: ['fd dirfd', 'path path', 'size len'], results: ['size n'], doc: "The link's target into the window at 0, at most len bytes; returns its length." },
  symlinkat: { number: 474, args: ['path target', 'fd dirfd', 'path path'], results: [], doc: 'WASI path_symlink: a symbolic link at path holding target verbatim.' },
  mkdirat: { number: 475, args: ['fd dirfd', 'path path'], results: [], doc: 'WASI path_create_directory.' },
  fdstat: { number: 520, args: ['fd fd'], results: ['int filetype', 'flags fdflags', 'u64 rights', 'u64 inheriting'], doc: 'WASI fdstat: filetype, fd flags, rights.' },
  fd_set_rights: { number: 521, args: ['fd fd', 'u64 rights', 'u64 inheriting'], results: [], doc: 'WASI fd_fdstat_set_rights: rights can only be dropped (ENOTCAPABLE otherwise).' },
  prestat: { number: 522, args: ['fd fd'], results: ['size namelen'], doc: "A preopened directory's name length." },
  prestat_dir_name: { number: 523, args: ['fd fd', 'size len'], results: ['size namelen'], doc: "A preopened directory's name into the window at 0, at most len bytes." },
  fadvise: { number: 524, args: ['fd fd', 'u64 offset', 'u64 len', 'int advice'], results: [], doc: 'WASI fd_advise: checked and accepted (advice never changes results).' },
  fallocate: { number: 525, args: ['fd fd', 'u64 offset', 'u64 len'], results: [], doc: 'WASI fd_allocate: make the file at least offset+len bytes long.' },
  futimens: { number: 526, args: ['fd fd', 'u64 atim', 'u64 mtim', 'flags fstflags'], results: [], doc: 'fstflags as WASI defines them (ATIM, ATIM_NOW, MTIM, MTIM_NOW).' },
  utimensat: { number: 527, args: ['fd dirfd', 'flags lookupflags', 'path path', 'u64 atim', 'u64 mtim', 'flags fstflags'], results: [], doc: 'WASI path_filestat_set_times.' },
  trace: { number: 528, args: ['data len'], results: [], doc: 'With `webmach run --trace`: one line the task library wrote for a call it served itself (no system call), added to the trace as it is.' },
} as const satisfies Record<string, CallSpec>;

export type SysName = keyof typeof SYSCALL_SPECS;

/** Call numbers by name: SYS.read === 3. */
export const SYS = Object.fromEntries(Object.entries(SYSCALL_SPECS).map(([name, spec]) => [name, spec.number])) as {
  readonly [K in SysName]: (typeof SYSCALL_SPECS)[K]['number'];
};

/** unlinkat's flag: remove a directory (as XNU's AT_REMOVEDIR). */
export const AT_REMOVEDIR = 0x80;

/** A 64-bit value as the two words it travels in (lo, hi). */
export function u64Words(x: bigint | number): [number, number] {
  const v = BigInt.asUintN(64, BigInt(x));
  return [Number(v & 0xffffffffn) | 0, Number(v >> 32n) | 0];
}

/** The 64-bit value two words (lo, hi) carry. */
export function wordsU64(lo: number, hi: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

/** Words one argument or result declaration takes (u64/s64 take two). */
export function declWords(decl: string): number {
  return decl.startsWith('u64') || decl.startsWith('s64') ? 2 : 1;
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
