// wasi_snapshot_preview1 directory functions: every path_* call, the preopen queries
// (fd_prestat_get, fd_prestat_dir_name) and fd_readdir. Paths are copied as raw bytes from the
// program's memory into the window, one after another from offset 0; the server decodes and checks
// them (including escapes from the directory).
import { SYS, AT_REMOVEDIR, u64Words } from '../personality/interfaces/bsd.js';
import { ESUCCESS, ENAMETOOLONG } from '../personality/interfaces/errno.js';
import { PRESTAT, PREOPEN_DIR } from '../personality/interfaces/wasi.js';
import { putFilestat, type WasiContext, type WasiFunction } from './wasi_fd.js';

class PathTooLong extends Error {}

/** Copy each (ptr, len) path into the window, in order; their lengths, as the call's path words. */
function putPaths(c: WasiContext, ...paths: Array<[number, number]>): number[] {
  let at = 0;
  return paths.map(([ptr, len]) => {
    if (at + len > c.sys.windowLen) throw new PathTooLong();
    c.sys.window.set(c.mem.bytes(ptr, len), at);
    at += len;
    return len;
  });
}

/** Run a call whose arguments include paths; a path that does not fit the window is ENAMETOOLONG. */
function withPaths(f: () => number): number {
  try {
    return f();
  } catch (e) {
    if (e instanceof PathTooLong) return ENAMETOOLONG;
    throw e;
  }
}

/** fd_readdir: whole records while the window is smaller than the room left, then the truncated tail. */
function readdir(c: WasiContext, fd: number, buf: number, bufLen: number, cookie: bigint, out: number): number {
  const sys = c.sys;
  let used = 0;
  for (;;) {
    const room = bufLen - used;
    const last = room <= sys.windowLen;
    const errno = sys.call(SYS.getdirentries, [fd, Math.min(room, sys.windowLen), ...u64Words(cookie), last ? 1 : 0]);
    if (errno !== ESUCCESS) return errno;
    const n = sys.result(0);
    c.mem.copyOut(buf + used, sys.window.subarray(0, n));
    used += n;
    cookie = sys.resultU64(1);
    if (last || sys.result(3) === 1 || n === 0) break;
  }
  c.mem.setU32(out, used);
  return ESUCCESS;
}

export function pathFunctions(c: WasiContext): Record<string, WasiFunction> {
  const sys = c.sys;
  const call = (label: number, words: () => number[]) => withPaths(() => sys.call(label, words()));
  return {
    fd_prestat_get: (fd: number, out: number) => {
      const errno = sys.call(SYS.prestat, [fd]);
      if (errno !== ESUCCESS) return errno;
      c.mem.setU32(out + PRESTAT.tag, PREOPEN_DIR);
      c.mem.setU32(out + PRESTAT.nameLen, sys.result(0));
      return ESUCCESS;
    },
    fd_prestat_dir_name: (fd: number, buf: number, len: number) => {
      const errno = sys.call(SYS.prestat_dir_name, [fd, len]);
      if (errno === ESUCCESS) c.mem.copyOut(buf, sys.window.subarray(0, sys.result(0)));
      return errno;
    },
    fd_readdir: (fd: number, buf: number, len: number, cookie: bigint, out: number) => readdir(c, fd, buf, len, cookie, out),
    path_open: (dirfd: number, lookup: number, path: number, pathLen: number, oflags: number, rights: bigint, inheriting: bigint, fdflags: number, out: number) => {
      const errno = call(SYS.openat, () => [dirfd, lookup, ...putPaths(c, [path, pathLen]), oflags, ...u64Words(rights), ...u64Words(inheriting), fdflags]);
      if (errno === ESUCCESS) c.mem.setU32(out, sys.result(0));
      return errno;
    },
    path_create_directory: (dirfd: number, path: number, len: number) =>
      call(SYS.mkdirat, () => [dirfd, ...putPaths(c, [path, len])]),
    path_remove_directory: (dirfd: number, path: number, len: number) =>
      call(SYS.unlinkat, () => [dirfd, ...putPaths(c, [path, len]), AT_REMOVEDIR]),
    path_unlink_file: (dirfd: number, path: number, len: number) =>
      call(SYS.unlinkat, () => [dirfd, ...putPaths(c, [path, len]), 0]),
    path_rename: (fromfd: number, from: number, fromLen: number, tofd: number, to: number, toLen: number) =>
      call(SYS.renameat, () => {
        const [a, b] = putPaths(c, [from, fromLen], [to, toLen]);
        return [fromfd, a, tofd, b];
      }),
    path_link: (fromfd: number, lookup: number, from: number, fromLen: number, tofd: number, to: number, toLen: number) =>
      call(SYS.linkat, () => {
        const [a, b] = putPaths(c, [from, fromLen], [to, toLen]);
        return [fromfd, lookup, a, tofd, b];
      }),
    path_symlink: (target: number, targetLen: number, dirfd: number, path: number, pathLen: number) =>
      call(SYS.symlinkat, () => {
        const [a, b] = putPaths(c, [target, targetLen], [path, pathLen]);
        return [a, dirfd, b];
      }),
    path_readlink: (dirfd: number, path: number, pathLen: number, buf: number, bufLen: number, out: number) => {
      const errno = call(SYS.readlinkat, () => [dirfd, ...putPaths(c, [path, pathLen]), bufLen]);
      if (errno !== ESUCCESS) return errno;
      const n = sys.result(0);
      c.mem.copyOut(buf, sys.window.subarray(0, n));
      c.mem.setU32(out, n);
      return ESUCCESS;
    },
    path_filestat_get: (dirfd: number, lookup: number, path: number, len: number, out: number) => {
      const errno = call(SYS.fstatat, () => [dirfd, lookup, ...putPaths(c, [path, len])]);
      if (errno === ESUCCESS) putFilestat(c, out);
      return errno;
    },
    path_filestat_set_times: (dirfd: number, lookup: number, path: number, len: number, atim: bigint, mtim: bigint, flags: number) =>
      call(SYS.utimensat, () => [dirfd, lookup, ...putPaths(c, [path, len]), ...u64Words(atim), ...u64Words(mtim), flags]),
  };
}
