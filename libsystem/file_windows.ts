// The task library's fast path for files whose data is in the page cache (dean-armand-1992 3.1, the
// emulation library's mapped files; the records and the protocol are abi/file_window.ts): read,
// pread, write, pwrite and lseek served here, with no system call, by copying between the program's
// memory and the file's pages in machine memory, found in its page table, holding the file's token.
// Anything else returns undefined and the caller makes the system call: a write past the end of
// the file or into a hole (pages must be made), a host file's page not in memory (the server brings
// it in), an append, a token held on by another (the server waits for it, and kills a holder that
// never lets go). A write marks the pages it wrote dirty in the table, for the server to write back
// to a host file. Each call served here is atomic against
// every other read and write of the file, and the offset it moves is the open file description's,
// in machine memory, shared by every process that shares the description. With `--trace` each
// reports itself to the trace.
import { EINVAL, ESUCCESS } from '../abi/errno.js';
import { FDFLAGS, WHENCE } from '../abi/wasi.js';
import { COMMPAGE, COMMPAGE_TRACE, FASTPATH_SLOTS } from '../abi/commpage.js';
import {
  FAST_FILE, FAST_FILE_MASK, FAST_FILE_READ, FAST_FILE_SEEK, FAST_FILE_WRITE, TABLE_DIRTY, TABLE_PAGE, TOKEN, TOKEN_ACCESSED, TOKEN_BACKED, TOKEN_BYTES, TOKEN_F64,
  WINDOW, WINDOW_BYTES, WINDOW_F64, WINDOW_PAGE_SIZE, tokenTryLock, tokenUnlock,
} from '../abi/file_window.js';
import * as bsd from './bsd_user.js';
import type { Commpage } from './commpage.js';
import type { Syscalls } from './syscall.js';
import type { UserMemory } from './uaccess.js';

/** Polls of a held token before sleeping on it (its holder copies for microseconds). */
const SPIN = 1000;
/** A sleep on a held token, in ms, before looking again. */
const NAP_MS = 2;
/**
 * How long a call waits for a held token before it asks the server instead: the server waits for
 * the holder too, and kills it if it holds on (vm_window.ts), which a task cannot do.
 */
const DEFER_MS = 20;
const MAX_OFFSET = Number.MAX_SAFE_INTEGER;
/** Whole-page views kept (16 MiB of pages). */
const PAGE_VIEWS = 4096;
const encoder = new TextEncoder();

export class FileWindows {
  private words!: Int32Array;
  private f64!: Float64Array;
  private machine!: Uint8Array;
  private readonly table: Int32Array;
  private readonly pid: number;
  private readonly tracing: boolean;
  /** The iovecs of the call under way: pointer, length, pointer, length... */
  private vecs: number[] = [0, 0];
  /** Views of whole pages, by address. */
  private pages = new Map<number, Uint8Array>();

  constructor(private page: Commpage, private mem: UserMemory, private sys: Syscalls) {
    this.table = new Int32Array(page.memory.buffer, page.words.byteOffset + COMMPAGE.fastpath, FASTPATH_SLOTS);
    this.pid = page.words[COMMPAGE.pid >> 2];
    this.tracing = (page.flags & COMMPAGE_TRACE) !== 0;
    this.views();
  }

  /** fd_read, or fd_pread at `at`; undefined for the system call. */
  read(fd: number, iovs: number, count: number, out: number, at?: bigint): number | undefined {
    const win = this.window(fd, FAST_FILE_READ, at);
    if (win < 0) return undefined;
    const want = this.iovecs(iovs, count);
    if (want === 0) return undefined;
    const token = this.lock(win);
    if (token < 0) return undefined;
    let n: number;
    try {
      const pos = at === undefined ? this.f64[(win >> 1) + WINDOW_F64.offset] : Number(at);
      n = Math.max(0, Math.min(want, this.f64[(token >> 1) + TOKEN_F64.size] - pos));
      if (n > 0 && !this.covers(token, pos, n, false)) return undefined;
      this.copy(token, pos, n, true);
      if (at === undefined) this.f64[(win >> 1) + WINDOW_F64.offset] = pos + n;
      if ((Atomics.load(this.words, token + TOKEN.flags) & TOKEN_ACCESSED) === 0) Atomics.or(this.words, token + TOKEN.flags, TOKEN_ACCESSED);
    } finally {
      tokenUnlock(this.words, token, this.pid);
    }
    this.mem.setU32(out, n);
    if (this.tracing) this.served(at === undefined ? 'fd_read' : 'fd_pread', [fd, iovs, count, ...(at === undefined ? [] : [at]), out]);
    return ESUCCESS;
  }

  /** fd_write, or fd_pwrite at `at`, of bytes that overwrite resident pages of the file; undefined for the system call. */
  write(fd: number, iovs: number, count: number, out: number, at?: bigint): number | undefined {
    const win = this.window(fd, FAST_FILE_WRITE, at);
    if (win < 0 || (Atomics.load(this.words, win + WINDOW.fdflags) & FDFLAGS.append) !== 0) return undefined;
    const n = this.iovecs(iovs, count);
    if (n === 0) return undefined;
    const token = this.lock(win);
    if (token < 0) return undefined;
    try {
      const pos = at === undefined ? this.f64[(win >> 1) + WINDOW_F64.offset] : Number(at);
      if (pos + n > this.f64[(token >> 1) + TOKEN_F64.size] || !this.covers(token, pos, n, true)) return undefined;
      this.copy(token, pos, n, false);
      if (at === undefined) this.f64[(win >> 1) + WINDOW_F64.offset] = pos + n;
      this.f64[(token >> 1) + TOKEN_F64.mtime] = performance.timeOrigin + performance.now();
    } finally {
      tokenUnlock(this.words, token, this.pid);
    }
    this.mem.setU32(out, n);
    if (this.tracing) this.served(at === undefined ? 'fd_write' : 'fd_pwrite', [fd, iovs, count, ...(at === undefined ? [] : [at]), out]);
    return ESUCCESS;
  }

  /** fd_seek (and fd_tell, as (0, CUR)); undefined for the system call. */
  seek(fd: number, offset: bigint, whence: number, out: number): number | undefined {
    const win = this.window(fd, FAST_FILE_SEEK);
    if (win < 0 || offset > BigInt(MAX_OFFSET) || offset < -BigInt(MAX_OFFSET)) return undefined;
    this.mem.bytes(out, 8); // fault before anything moves
    const token = this.lock(win);
    if (token < 0) return undefined;
    let position: number;
    try {
      const base = whence === WHENCE.set ? 0 : whence === WHENCE.cur ? this.f64[(win >> 1) + WINDOW_F64.offset] : this.f64[(token >> 1) + TOKEN_F64.size];
      position = base + Number(offset);
      if (position > MAX_OFFSET) return undefined;
      if (position >= 0) this.f64[(win >> 1) + WINDOW_F64.offset] = position;
    } finally {
      tokenUnlock(this.words, token, this.pid);
    }
    const result = position < 0 ? EINVAL : ESUCCESS;
    if (position >= 0) this.mem.setU64n(out, position);
    if (this.tracing) this.served('fd_seek', [fd, offset, whence, out], result);
    return result;
  }

  /**
   * The word index of `fd`'s window if the table lets this library do `may` (and seek, for a call at
   * an offset `at` it can handle) through it; -1 if not.
   */
  private window(fd: number, may: number, at?: bigint): number {
    const slot = fd >= 0 && fd < FASTPATH_SLOTS ? Atomics.load(this.table, fd) : 0;
    const need = FAST_FILE | may | (at === undefined ? 0 : FAST_FILE_SEEK);
    if ((slot & need) !== need || (at !== undefined && (at < 0n || at > BigInt(MAX_OFFSET)))) return -1;
    const addr = slot & FAST_FILE_MASK;
    if (addr + WINDOW_BYTES > this.machine.length) this.views();
    return addr >> 2;
  }

  /**
   * Note the iovecs' buffers in `vecs` (pointer, length pairs), each checked to lie in the program's
   * memory before anything moves; the bytes they hold together.
   */
  private iovecs(iovs: number, count: number): number {
    this.mem.check(iovs, count * 8);
    if (this.vecs.length < count * 2) this.vecs = new Array<number>(count * 2);
    let total = 0;
    for (let i = 0; i < count; i++) {
      const ptr = this.mem.u32(iovs + i * 8);
      const len = this.mem.u32(iovs + i * 8 + 4);
      this.mem.check(ptr, len);
      this.vecs[2 * i] = ptr;
      this.vecs[2 * i + 1] = len;
      total += len;
    }
    return total;
  }

  /** Take the token of the window at word `win` (waiting while another holds it); its word index, or -1 if it stays held (DEFER_MS). */
  private lock(win: number): number {
    const token = Atomics.load(this.words, win + WINDOW.token) >> 2;
    if ((token << 2) + TOKEN_BYTES > this.machine.length) this.views();
    let since = 0;
    for (let polls = 0; !tokenTryLock(this.words, token, this.pid); polls++) {
      if (polls < SPIN) continue;
      const holder = Atomics.load(this.words, token + TOKEN.lock);
      if (holder === 0) continue;
      if (since === 0) since = performance.now();
      else if (performance.now() - since > DEFER_MS) return -1;
      Atomics.store(this.words, token + TOKEN.waiters, 1);
      Atomics.wait(this.words, token + TOKEN.lock, holder, NAP_MS);
    }
    return token;
  }

  /** The page table of the token at word `token` has every page of the `n` bytes at `pos` (and, to write them, none is a hole). */
  private covers(token: number, pos: number, n: number, writing: boolean): boolean {
    const last = Math.floor((pos + n - 1) / WINDOW_PAGE_SIZE);
    if (last >= Atomics.load(this.words, token + TOKEN.entries)) return false;
    const table = this.words[token + TOKEN.table];
    if (table + 4 * (last + 1) > this.machine.length) this.views();
    const t = table >> 2;
    const absent = writing || (this.words[token + TOKEN.flags] & TOKEN_BACKED) !== 0; // a missing page is not a hole: ask the server
    for (let i = Math.floor(pos / WINDOW_PAGE_SIZE); i <= last; i++) {
      const page = this.words[t + i];
      if (page === 0 && absent) return false;
      if (page + WINDOW_PAGE_SIZE > this.machine.length) this.views();
    }
    return true;
  }

  /** Copy `n` bytes of the file at `pos` into the buffers iovecs() noted (`toProgram`), or from them into the file. */
  private copy(token: number, pos: number, n: number, toProgram: boolean): void {
    const t = this.words[token + TOKEN.table] >> 2;
    const vecs = this.vecs;
    let vi = 0;
    let vo = 0;
    for (let done = 0; done < n; ) {
      const at = pos + done;
      const index = Math.floor(at / WINDOW_PAGE_SIZE);
      const inPage = at - index * WINDOW_PAGE_SIZE;
      const entry = this.words[t + index];
      const page = entry & TABLE_PAGE;
      const ptr = vecs[2 * vi] + vo;
      const k = Math.min(WINDOW_PAGE_SIZE - inPage, vecs[2 * vi + 1] - vo, n - done);
      if (!toProgram) {
        this.machine.set(this.mem.bytes(ptr, k), page + inPage);
        if ((entry & TABLE_DIRTY) === 0) this.words[t + index] = entry | TABLE_DIRTY;
      } else if (page === 0) this.mem.zero(ptr, k); // a hole
      else this.mem.copyOut(ptr, k === WINDOW_PAGE_SIZE ? this.pageView(page) : this.machine.subarray(page + inPage, page + inPage + k));
      done += k;
      vo += k;
      if (vo === vecs[2 * vi + 1]) [vi, vo] = [vi + 1, 0];
    }
  }

  /** A view of the whole page at `addr` (kept: a page is copied whole again and again). */
  private pageView(addr: number): Uint8Array {
    let view = this.pages.get(addr);
    if (view === undefined) {
      if (this.pages.size >= PAGE_VIEWS) this.pages.clear();
      this.pages.set(addr, (view = this.machine.subarray(addr, addr + WINDOW_PAGE_SIZE)));
    }
    return view;
  }

  /** Views of the machine memory as it is now (it grows as the server takes frames). */
  private views(): void {
    const buffer = this.page.memory.buffer;
    this.words = new Int32Array(buffer);
    this.f64 = new Float64Array(buffer);
    this.machine = new Uint8Array(buffer);
  }

  /** With `--trace`: report a call served here. */
  private served(name: string, args: Array<number | bigint>, result = ESUCCESS): void {
    const { written } = encoder.encodeInto(`[pid ${this.pid}] ${name}(${args.join(', ')}) = ${result} (served in the task)`, this.sys.window);
    bsd.trace(this.sys, written);
  }
}
