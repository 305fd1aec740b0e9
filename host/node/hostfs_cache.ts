// A host file's data in the page cache while webmach has it open (the pager's side of a host mount,
// Mach's external memory manager in small): pages come in from the host file when first touched
// (data_request; a page past the host file's end is zeros, data_unavailable) and go back when dirty
// (data_return): at fsync and fdatasync (then the host's fsync, so the data is durable when the call
// returns), at the last close, when the cache steals the page to stay within its bound, and every
// WRITE_BACK_MS (delayed writes, as UBC's). The file's size is the cache's while open (a write past
// the host's end reaches the host at write-back). Appends go straight to the host with O_APPEND after
// a write-back, so they stay atomic against every other writer of the host file, and the pages they
// touched are read again. One CachedFile serves every open of one host file (by device and inode),
// through a descriptor of its own; its pages go when the last open does. What another host process
// writes to the file meanwhile is seen only by a later open.
import * as fs from 'node:fs';
import { CACHE_PAGE_SIZE as PAGE, type BackingStore, type PageCache, type VmObject } from '../../personality/vm/page_cache.js';
import type { Window } from '../../personality/vm/vm_window.js';
import type { Appended, Stat } from '../../personality/vfs/vnode.js';

/** Dirty pages of open host files are written back at least this often. */
export const WRITE_BACK_MS = 5000;

/** How host calls are made: a host error becomes the VfsError with its WASI errno (hostfs.ts). */
export type HostCall = <T>(call: () => T) => T;

export class CachedFile implements BackingStore {
  readonly object: VmObject;
  /** Opens of the host file sharing it. */
  opens = 0;
  private bytes: number;
  /** ms since the epoch of the last write made through it not yet on the host (0: none). */
  private modifiedMs = 0;

  /** `key`: the host file's device and inode; `fd`: its own descriptor of it, readable and, if `writable`, writable. */
  constructor(readonly cache: PageCache, readonly key: string, private readonly fd: number, readonly writable: boolean, private readonly host: HostCall) {
    this.object = cache.object(this);
    this.bytes = Number(host(() => fs.fstatSync(fd).size));
  }

  /** The file's size as webmach sees it (mirrored in the token for task libraries). */
  get length(): number {
    return this.bytes;
  }

  private set length(n: number) {
    this.bytes = n;
    if (this.object.token) this.object.token.size = n;
  }

  /** The stat of the host file `host` as webmach sees it: our size, and the last write's time not yet on the host if later. */
  stat(host: Stat): Stat {
    this.modifiedMs = Math.max(this.modifiedMs, this.object.token?.takeModified() ?? 0);
    const ns = BigInt(Math.round(this.modifiedMs * 1e6));
    const later = (t: bigint): bigint => (ns > t ? ns : t);
    return { ...host, size: BigInt(this.length), mtim: later(host.mtim), ctim: later(host.ctim) };
  }

  window(fdflags: number): Window {
    return this.cache.windows.open(this.object, this.length, fdflags);
  }

  pageIn(index: number, into: Uint8Array): void {
    this.host(() => fs.readSync(this.fd, into, 0, PAGE, index * PAGE));
  }

  pageOut(index: number, from: Uint8Array): void {
    const n = Math.min(PAGE, this.length - index * PAGE);
    for (let done = 0; done < n; ) done += this.host(() => fs.writeSync(this.fd, from, done, n - done, index * PAGE + done));
  }

  read(offset: number, into: Uint8Array): number {
    return this.object.locked(() => {
      const n = Math.max(0, Math.min(into.length, this.length - offset));
      this.byPage(offset, n, (at, from, to) => this.cache.read(this.object, at, into.subarray(from, to)));
      return n;
    });
  }

  write(offset: number, from: Uint8Array): number {
    return this.object.locked(() => {
      this.byPage(offset, from.length, (at, start, end) => this.cache.write(this.object, at, from.subarray(start, end)));
      if (offset + from.length > this.length) this.length = offset + from.length;
      this.modifiedMs = performance.timeOrigin + performance.now();
      return from.length;
    });
  }

  /** An append through `hostAppend` (the host's O_APPEND), after what is dirty went back; the pages it reached are read again. */
  append(hostAppend: () => Appended): Appended {
    return this.object.locked(() => {
      this.writeBack();
      const done = hostAppend();
      this.cache.truncate(this.object, Math.floor((done.end - done.written) / PAGE) * PAGE);
      this.length = done.end;
      return done;
    });
  }

  setSize(size: number): void {
    this.object.locked(() => {
      this.writeBack();
      this.host(() => fs.ftruncateSync(this.fd, size));
      this.cache.truncate(this.object, size);
      this.length = size;
    });
  }

  /**
   * Dirty pages to the host (a write past the host's end dirtied the page it ends in, whose write-back
   * makes the host file as long; truncation went to the host at once).
   */
  writeBack(): void {
    this.object.locked(() => {
      this.cache.flush(this.object);
      this.modifiedMs = 0;
    });
  }

  /** fsync: written back, then durable on the host. */
  sync(): void {
    this.writeBack();
    this.host(() => fs.fsyncSync(this.fd));
  }

  /** The last open went: written back, its pages freed, its descriptor closed. */
  close(): void {
    try {
      this.writeBack();
    } finally {
      this.cache.truncate(this.object, 0);
      fs.closeSync(this.fd);
    }
  }

  /**
   * Run `move` on each page's part of the `n` bytes at `offset` (the file's byte, and the range of the
   * caller's buffer), its page made resident first (from the host file where it has it). A page at a
   * time, so that one stolen to bring in the next is never one still to be used.
   */
  private byPage(offset: number, n: number, move: (at: number, from: number, to: number) => void): void {
    for (let done = 0; done < n; ) {
      const at = offset + done;
      const k = Math.min(n - done, PAGE - (at % PAGE));
      this.cache.fault(this.object, Math.floor(at / PAGE));
      move(at, done, done + k);
      done += k;
    }
  }
}
