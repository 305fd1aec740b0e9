// Directory-descriptor system calls: the preopened directories a process starts with (prestat) and
// reading a directory as WASI dirent records (getdirentries). A directory's cookie is the index of
// the next entry in its listing ('.' and '..' first), so a program can resume where it stopped; the
// listing is taken when a read starts at cookie 0 and kept with the open file until the next one,
// so a large directory is listed once, not once per buffer (as getdents keeps its position). Kept
// listings count toward the server's listing budget (ENOMEM past it); one read to its end is let go
// (a later read from a cookie lists afresh), so a program that never closes its directories holds none.
import { EBADF, ENAMETOOLONG } from '../../abi/errno.js';
import { RIGHT, DIRENT } from '../../abi/wasi.js';
import { VfsError, type DirEntry } from '../vfs/vnode.js';
import type { Descriptor } from '../vfs/file.js';
import type { Request } from './syscalls.js';
import type * as bsd from './bsd_server.js';

const encoder = new TextEncoder();

function preopen(r: Request, fd: number): Descriptor & { preopen: string } {
  const d = r.proc.fds.get(fd);
  if (d.preopen === undefined) throw new VfsError(EBADF);
  return d as Descriptor & { preopen: string };
}

export function sysPrestat(r: Request, a: bsd.PrestatIn): bsd.PrestatOut {
  return { namelen: encoder.encode(preopen(r, a.fd).preopen).length };
}

/** The name into its room; a room smaller than the name is ENAMETOOLONG (as wasmtime). */
export function sysPrestatDirName(r: Request, a: bsd.PrestatDirNameIn): bsd.PrestatDirNameOut {
  const name = encoder.encode(preopen(r, a.fd).preopen);
  if (a.name.length < name.length) throw new VfsError(ENAMETOOLONG);
  a.name.set(name);
  return { name: name.length };
}

/** One WASI dirent record: the header, then the name (not NUL-terminated). */
function direntRecord(e: DirEntry, next: number): Uint8Array {
  const name = encoder.encode(e.name);
  const rec = new Uint8Array(DIRENT.size + name.length);
  const v = new DataView(rec.buffer);
  v.setBigUint64(DIRENT.next, BigInt(next), true);
  v.setBigUint64(DIRENT.ino, e.ino, true);
  v.setUint32(DIRENT.namlen, name.length, true);
  v.setUint8(DIRENT.type, e.filetype);
  rec.set(name, DIRENT.size);
  return rec;
}

/**
 * Entries from `cookie` into the room: whole records while they fit; with `truncate`, the first
 * record that does not fit is cut to fill the room exactly. Results: bytes used, the cookie after
 * the last whole record, and 1 when the listing ended.
 */
export function sysGetdirentries(r: Request, a: bsd.GetdirentriesIn): bsd.GetdirentriesOut {
  const { file } = r.proc.fds.need(a.fd, RIGHT.fdReaddir);
  const cookie = a.cookie;
  const entries = (cookie !== 0n && file.listing) || file.list(r.server.vfs.listings);
  const out = a.entries;
  const truncate = a.truncate !== 0;
  let used = 0;
  let i = Number(cookie);
  for (; i < entries.length; i++) {
    const rec = direntRecord(entries[i], i + 1);
    if (used + rec.length > out.length) {
      if (truncate) {
        out.set(rec.subarray(0, out.length - used), used);
        used = out.length;
      }
      break;
    }
    out.set(rec, used);
    used += rec.length;
  }
  const ended = i >= entries.length;
  if (ended) file.forget();
  return { entries: used, next: BigInt(i), end: ended ? 1 : 0 };
}
