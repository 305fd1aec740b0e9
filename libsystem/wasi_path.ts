// wasi_snapshot_preview1 directory functions: every path_* call, the preopen queries
// (fd_prestat_get, fd_prestat_dir_name) and fd_readdir. Paths go to the system-call stubs
// (bsd_user.ts) as views of the program's memory; the stubs copy the raw bytes into the window (a
// path that does not fit is ENAMETOOLONG) and the server decodes and checks them (including escapes
// from the directory).
import { AT_REMOVEDIR } from '../abi/bsd.js';
import { ESUCCESS } from '../abi/errno.js';
import { PRESTAT, PREOPEN_DIR } from '../abi/wasi.js';
import { putFilestat, type WasiContext, type WasiFunction } from './wasi_fd.js';
import * as bsd from './bsd_user.js';

/** fd_readdir: whole records while the window is smaller than the room left, then the truncated tail. */
function readdir(c: WasiContext, fd: number, buf: number, bufLen: number, cookie: bigint, out: number): number {
  const sys = c.sys;
  let used = 0;
  for (;;) {
    const room = bufLen - used;
    const last = room <= sys.windowLen;
    const r = bsd.getdirentries(sys, fd, Math.min(room, sys.windowLen), cookie, last ? 1 : 0);
    if (r.errno !== ESUCCESS) return r.errno;
    c.mem.copyOut(buf + used, r.entries);
    used += r.entries.length;
    cookie = r.next;
    if (last || r.end === 1 || r.entries.length === 0) break;
  }
  c.mem.setU32(out, used);
  return ESUCCESS;
}

export function pathFunctions(c: WasiContext): Record<string, WasiFunction> {
  const sys = c.sys;
  const mem = c.mem;
  return {
    fd_prestat_get: (fd: number, out: number) => {
      const r = bsd.prestat(sys, fd);
      if (r.errno !== ESUCCESS) return r.errno;
      mem.setU32(out + PRESTAT.tag, PREOPEN_DIR);
      mem.setU32(out + PRESTAT.nameLen, r.namelen);
      return ESUCCESS;
    },
    fd_prestat_dir_name: (fd: number, buf: number, len: number) => {
      const r = bsd.prestat_dir_name(sys, fd, len);
      if (r.errno === ESUCCESS) mem.copyOut(buf, r.name);
      return r.errno;
    },
    fd_readdir: (fd: number, buf: number, len: number, cookie: bigint, out: number) => readdir(c, fd, buf, len, cookie, out),
    path_open: (dirfd: number, lookup: number, path: number, pathLen: number, oflags: number, rights: bigint, inheriting: bigint, fdflags: number, out: number) => {
      const r = bsd.openat(sys, dirfd, lookup, mem.bytes(path, pathLen), oflags, rights, inheriting, fdflags);
      if (r.errno === ESUCCESS) mem.setU32(out, r.fd);
      return r.errno;
    },
    path_create_directory: (dirfd: number, path: number, len: number) => bsd.mkdirat(sys, dirfd, mem.bytes(path, len)),
    path_remove_directory: (dirfd: number, path: number, len: number) => bsd.unlinkat(sys, dirfd, mem.bytes(path, len), AT_REMOVEDIR),
    path_unlink_file: (dirfd: number, path: number, len: number) => bsd.unlinkat(sys, dirfd, mem.bytes(path, len), 0),
    path_rename: (fromfd: number, from: number, fromLen: number, tofd: number, to: number, toLen: number) =>
      bsd.renameat(sys, fromfd, mem.bytes(from, fromLen), tofd, mem.bytes(to, toLen)),
    path_link: (fromfd: number, lookup: number, from: number, fromLen: number, tofd: number, to: number, toLen: number) =>
      bsd.linkat(sys, fromfd, lookup, mem.bytes(from, fromLen), tofd, mem.bytes(to, toLen)),
    path_symlink: (target: number, targetLen: number, dirfd: number, path: number, pathLen: number) =>
      bsd.symlinkat(sys, mem.bytes(target, targetLen), dirfd, mem.bytes(path, pathLen)),
    path_readlink: (dirfd: number, path: number, pathLen: number, buf: number, bufLen: number, out: number) => {
      const r = bsd.readlinkat(sys, dirfd, mem.bytes(path, pathLen), bufLen);
      if (r.errno !== ESUCCESS) return r.errno;
      mem.copyOut(buf, r.target);
      mem.setU32(out, r.target.length);
      return ESUCCESS;
    },
    path_filestat_get: (dirfd: number, lookup: number, path: number, len: number, out: number) => {
      const st = bsd.fstatat(sys, dirfd, lookup, mem.bytes(path, len));
      if (st.errno === ESUCCESS) putFilestat(c, out, st);
      return st.errno;
    },
    path_filestat_set_times: (dirfd: number, lookup: number, path: number, len: number, atim: bigint, mtim: bigint, flags: number) =>
      bsd.utimensat(sys, dirfd, lookup, mem.bytes(path, len), atim, mtim, flags),
  };
}
