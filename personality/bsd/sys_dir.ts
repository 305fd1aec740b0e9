// Directory-descriptor system calls: the preopened directories a process starts with (prestat) and
// reading a directory as WASI dirent records (getdirentries). A directory's cookie is the index of
// the next entry in its listing ('.' and '..' first), so a program can resume where it stopped; the
// listing is taken when a read starts at cookie 0 and kept with the open file until the next one,
// so a large directory is listed once, not once per buffer (as getdents keeps its position). Kept
// listings count toward the server's listing budget (ENOMEM past it); one read to its end is let go
// (a later read from a cookie lists afresh), so a program that never closes its directories holds none.
import { EBADF, ENAMETOOLONG } from '../interfaces/errno.js';
import { RIGHT, DIRENT } from '../interfaces/wasi.js';
import { VfsError, type DirEntry } from '../vfs/vnode.js';
import type { Descriptor } from '../vfs/file.js';
import type { Request } from './syscalls.js';
import { u64Words } from '../interfaces/bsd.js';

const encoder = new TextEncoder();

function preopen(r: Request): Descriptor & { preopen: string } {
  const d = r.proc.fds.get(r.word(0));
  if (d.preopen === undefined) throw new VfsError(EBADF);
  return d as Descriptor & { preopen: string };
}

export function sysPrestat(r: Request): readonly number[] {
  return [encoder.encode(preopen(r).preopen).length];
}

/** The name into the window; a buffer shorter than the name is ENAMETOOLONG (as wasmtime). */
export function sysPrestatDirName(r: Request): readonly number[] {
  const name = encoder.encode(preopen(r).preopen);
  if (r.word(1) < name.length) throw new VfsError(ENAMETOOLONG);
  r.out(name.length).set(name);
  return [name.length];
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
 * Entries from `cookie` into the window: whole records while they fit in len; with `truncate`, the
 * first record that does not fit is cut to fill len exactly. Results: bytes used, the cookie after
 * the last whole record, and 1 when the listing ended.
 */
export function sysGetdirentries(r: Request): readonly number[] {
  const { file } = r.proc.fds.need(r.word(0), RIGHT.fdReaddir);
  const cookie = r.u64(2);
  const entries = (cookie !== 0n && file.listing) || file.list(r.server.vfs.listings);
  const out = r.out(r.word(1));
  const truncate = r.word(4) !== 0;
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
  return [used, ...u64Words(i), ended ? 1 : 0];
}
