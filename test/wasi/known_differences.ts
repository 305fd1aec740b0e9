// known_differences.ts: where node:wasi (Node 20's uvwasi 0.0.23, on Linux x86-64) departs from the
// WASI preview1 spec, line by line. The spec is the witx (WebAssembly/WASI,
// legacy/preview1/witx/{wasi_snapshot_preview1,typenames}.witx); where it names no errno, the
// POSIX call it says a function "is similar to", and wasmtime's answer, decide.
//
// Each entry: for the run `run`, node:wasi prints the block `node` (one or more whole lines of the
// transcript: stdout then "exit: N"), where the spec's answer, which webmach must print, is the
// block `webmach`. differential.test.ts asserts both sides of every entry, so a fixed node or a
// regressed webmach shows up here.

export interface KnownDifference {
  run: string;
  node: string;
  webmach: string;
  why: string;
}

const FDSTAT_FLAGS =
  'fdstat.fs_flags is an `fdflags` (append=1, dsync=2, nonblock=4, rsync=8, sync=16; typenames.witx), but ' +
  "uvwasi's fd_fdstat_get stores fcntl(F_GETFL)'s host O_* bits there untranslated (32770 = O_LARGEFILE|O_RDWR, " +
  'whose bit 1 even reads as dsync)';

const POLL_REGULAR_FILE =
  'eventtype fd_read / fd_write: "This event always triggers for regular files" (typenames.witx); uvwasi hands ' +
  'the file to uv_poll, whose epoll refuses regular files, and the whole poll_oneoff fails with EPERM';

const SOCK_ON_NON_SOCKET =
  'sock_accept/recv/send/shutdown are "similar to accept/recv/send/shutdown in POSIX", which answer ENOTSOCK on ' +
  "a descriptor that is not a socket, as wasmtime does; uvwasi checks socket rights first (ENOTCAPABLE) and " +
  'leaves sock_shutdown unimplemented (ENOTSUP, even for an fd that is not open)';

const SANDBOX_RELATIVE_SYMLINK =
  'a symlink target is resolved from the directory holding the link (POSIX path resolution; wasmtime agrees), so ' +
  "sub/back -> ../inside.txt stays inside the sandbox; uvwasi resolves it from the preopen's root, calls it an " +
  'escape and refuses to create it, and the later lines that use the link see it missing';

function lines(...l: string[]): string {
  return l.join('\n');
}

function sockLines(target: string, got: readonly [string, string, string, string]): KnownDifference {
  const calls = ['sock_accept', 'sock_recv', 'sock_send', 'sock_shutdown'];
  return {
    run: 'sock',
    node: lines(...calls.map((call, i) => `${call} on ${target}: ${got[i]}  [spec: errno=57 (NOTSOCK)]`)),
    webmach: lines(...calls.map((call) => `${call} on ${target}: errno=57 (NOTSOCK)`)),
    why: SOCK_ON_NON_SOCKET,
  };
}

const NOTCAPABLE = 'errno=76 (NOTCAPABLE)';
const NOTSUP = 'errno=58 (NOTSUP)';

export const KNOWN_DIFFERENCES: readonly KnownDifference[] = [
  {
    run: 'fd_meta',
    node: 'file fdflags: 32770  [spec: 0]',
    webmach: 'file fdflags: 0',
    why: FDSTAT_FLAGS,
  },
  {
    run: 'fd_meta',
    node: 'fdflags after set APPEND: 33794  [spec: 1]',
    webmach: 'fdflags after set APPEND: 1',
    why: FDSTAT_FLAGS,
  },
  {
    run: 'fd_meta',
    node: 'fdflags after clear: 32770  [spec: 0]',
    webmach: 'fdflags after clear: 0',
    why: FDSTAT_FLAGS,
  },
  {
    run: 'path_open',
    node: 'fdflags has APPEND: no  [spec: yes]',
    webmach: 'fdflags has APPEND: yes',
    why: FDSTAT_FLAGS,
  },
  {
    run: 'path_open',
    node: 'fdflags of NONBLOCK fd: 34818  [spec: 4]',
    webmach: 'fdflags of NONBLOCK fd: 4',
    why: FDSTAT_FLAGS,
  },
  {
    run: 'path_open',
    node: 'empty path: errno=28 (INVAL)  [spec: errno=44 (NOENT)]',
    webmach: 'empty path: errno=44 (NOENT)',
    why: 'path_open is "similar to openat in POSIX", where an empty path is ENOENT, as in wasmtime; uvwasi answers EINVAL',
  },
  {
    run: 'path_open',
    node: 'open link not following: ok  [spec: errno=32 (LOOP)]',
    webmach: 'open link not following: errno=32 (LOOP)',
    why:
      'without lookupflags.symlink_follow ("As long as the resolved path corresponds to a symbolic link, it is ' +
      'expanded", typenames.witx) a final symlink is not expanded: POSIX openat with O_NOFOLLOW and wasmtime give ' +
      'ELOOP; uvwasi opens the target anyway',
  },
  {
    run: 'path_links',
    node: 'byte after the target untouched: "\\x00"  [spec: "#"]',
    webmach: 'byte after the target untouched: "#"',
    why: 'path_readlink is "similar to readlinkat in POSIX", which writes no NUL; uvwasi writes one after the target',
  },
  {
    run: 'path_links',
    node: lines('path_readlink 4-byte buffer: errno=42 (NOBUFS)  [spec: ok]', 'readlink truncated: ""  [spec: "targ"]'),
    webmach: lines('path_readlink 4-byte buffer: ok', 'readlink truncated: "targ"'),
    why: 'POSIX readlinkat truncates the target to the buffer and succeeds, as wasmtime does; uvwasi fails with ENOBUFS',
  },
  {
    run: 'path_links',
    node: 'exit: 134',
    webmach: 'exit: 0',
    why:
      "uvwasi's path_filestat_set_times returns EINVAL for conflicting fstflags with the directory fd's lock still " +
      'held: any later call on that fd hangs (path_links.c uses throwaway fds for it), and at exit destroying the ' +
      'held lock aborts node (SIGABRT)',
  },
  {
    run: 'poll',
    node: 'absolute monotonic clock events: ud=99 type=0 error=0  [spec: ud=8 type=0 error=0]',
    webmach: 'absolute monotonic clock events: ud=8 type=0 error=0',
    why:
      'subscription_clock.id names the clock an absolute timeout is measured on (typenames.witx); uvwasi measures ' +
      'every absolute timeout against realtime, so a monotonic deadline lies decades ahead and only the 1 s safety ' +
      'clock fires',
  },
  {
    run: 'poll',
    node: lines(
      'absolute realtime clock in the past events: ud=99 type=0 error=0  [spec: ud=9 type=0 error=0]',
      'past realtime deadline returns at once: no  [spec: yes]',
    ),
    webmach: lines('absolute realtime clock in the past events: ud=9 type=0 error=0', 'past realtime deadline returns at once: yes'),
    why: 'a clock event occurs once the clock "has reached" the timeout (eventtype clock); uvwasi subtracts now from a past deadline unsigned and waits a wrapped-around, huge delay',
  },
  {
    run: 'poll',
    node: lines(
      'fd_read on a file: errno=63 (PERM)  [spec: ok]',
      'fd_read on a file events:   [spec: ud=3 type=1 error=0]',
      'fd_read on a file reports bytes available: no  [spec: yes]',
      'fd_write on a file: errno=63 (PERM)  [spec: ok]',
      'fd_write on a file events:   [spec: ud=4 type=2 error=0]',
    ),
    webmach: lines(
      'fd_read on a file: ok',
      'fd_read on a file events: ud=3 type=1 error=0',
      'fd_read on a file reports bytes available: yes',
      'fd_write on a file: ok',
      'fd_write on a file events: ud=4 type=2 error=0',
    ),
    why: POLL_REGULAR_FILE,
  },
  {
    run: 'poll',
    node: lines(
      'several subscriptions: errno=63 (PERM)  [spec: ok]',
      'several subscriptions events:   [spec: ud=2 type=1 error=0, ud=3 type=2 error=0]',
    ),
    webmach: lines('several subscriptions: ok', 'several subscriptions events: ud=2 type=1 error=0, ud=3 type=2 error=0'),
    why: POLL_REGULAR_FILE,
  },
  {
    run: 'poll',
    node: 'fd_read on a never-open fd events: ud=2 type=0 error=0  [spec: ud=1 type=1 error=8]',
    webmach: 'fd_read on a never-open fd events: ud=1 type=1 error=8',
    why:
      'event.error is "an error that occurred while processing the subscription request" (typenames.witx): the bad ' +
      "fd's subscription comes back at once as an event carrying EBADF; uvwasi drops it and waits for the clock",
  },
  {
    run: 'prestat',
    node: 'fd_prestat_dir_name short buffer: errno=42 (NOBUFS)  [spec: errno=37 (NAMETOOLONG)]',
    webmach: 'fd_prestat_dir_name short buffer: errno=37 (NAMETOOLONG)',
    why: 'the witx names no errno for a buffer shorter than pr_name_len; wasmtime answers ENAMETOOLONG, uvwasi ENOBUFS',
  },
  {
    run: 'prestat',
    node: 'fd_prestat_get stdin: errno=28 (INVAL)  [spec: errno=8 (BADF)]',
    webmach: 'fd_prestat_get stdin: errno=8 (BADF)',
    why:
      'fd_prestat_get describes "the given preopened file descriptor"; for any other fd wasmtime answers EBADF ' +
      "(its cli_multiple_preopens test) and wasi-libc's preopen scan takes EBADF as the end; uvwasi answers EINVAL",
  },
  {
    run: 'prestat',
    node: 'fd_prestat_get open file: errno=28 (INVAL)  [spec: errno=8 (BADF)]',
    webmach: 'fd_prestat_get open file: errno=8 (BADF)',
    why: 'as for stdin: an fd that is not a preopen is EBADF for fd_prestat_get',
  },
  {
    run: 'proc raise',
    node: 'proc_raise unknown signal: errno=52 (NOSYS)  [spec: errno=28 (INVAL)]',
    webmach: 'proc_raise unknown signal: errno=28 (INVAL)',
    why: 'the signal enum has 31 values (typenames.witx): 99 is an invalid argument, not a missing function; uvwasi answers ENOSYS',
  },
  {
    run: 'readdir',
    node: 'entries: a=4 a_rather_long_file_name.txt=4 bb=4 ln=7 sub=3  [spec: .=3 ..=3 a=4 a_rather_long_file_name.txt=4 bb=4 ln=7 sub=3]',
    webmach: 'entries: .=3 ..=3 a=4 a_rather_long_file_name.txt=4 bb=4 ln=7 sub=3',
    why:
      'fd_readdir lists "." and ".." like POSIX readdir (wasmtime\'s preview1_fd_readdir test expects both, as ' +
      'directories); libuv, under uvwasi, drops them',
  },
  {
    run: 'readdir',
    node: 'entries now: a a_rather_long_file_name.txt bb ln new sub  [spec: . .. a a_rather_long_file_name.txt bb ln new sub]',
    webmach: 'entries now: . .. a a_rather_long_file_name.txt bb ln new sub',
    why: 'as above: "." and ".." are missing',
  },
  {
    run: 'readdir',
    node: 'd_ino of a matches filestat ino: no  [spec: yes]',
    webmach: 'd_ino of a matches filestat ino: yes',
    why: 'dirent.d_ino is "The serial number of the file referred to by this directory entry" (typenames.witx), the filestat.ino of that file; uvwasi always writes 0',
  },
  {
    run: 'sandbox',
    node: 'symlink sub/back -> ../inside.txt: errno=76 (NOTCAPABLE)  [spec: ok]',
    webmach: 'symlink sub/back -> ../inside.txt: ok',
    why: SANDBOX_RELATIVE_SYMLINK,
  },
  {
    run: 'sandbox',
    node: 'open sub/back (stays inside): errno=44 (NOENT)  [spec: ok]',
    webmach: 'open sub/back (stays inside): ok',
    why: SANDBOX_RELATIVE_SYMLINK,
  },
  {
    run: 'sandbox',
    node: 'from sub: open back (leads above sub): errno=44 (NOENT)  [spec: errno=76 (NOTCAPABLE)]',
    webmach: 'from sub: open back (leads above sub): errno=76 (NOTCAPABLE)',
    why: SANDBOX_RELATIVE_SYMLINK,
  },
  sockLines('a file', [NOTCAPABLE, NOTCAPABLE, NOTCAPABLE, NOTSUP]),
  sockLines('a directory', [NOTCAPABLE, NOTCAPABLE, NOTCAPABLE, NOTSUP]),
  {
    run: 'sock',
    node: 'sock_shutdown on a never-open fd: errno=58 (NOTSUP)  [spec: errno=8 (BADF)]',
    webmach: 'sock_shutdown on a never-open fd: errno=8 (BADF)',
    why: SOCK_ON_NON_SOCKET,
  },
  {
    run: 'sock stdin',
    node: 'exit: 139',
    webmach: lines(...['sock_accept', 'sock_recv', 'sock_send', 'sock_shutdown'].map((c) => `${c} on stdin: errno=57 (NOTSOCK)`), 'exit: 0'),
    why: "uvwasi's sock_accept, sock_recv and sock_send on a stdio pipe crash node (SIGSEGV) instead of answering ENOTSOCK",
  },
];
