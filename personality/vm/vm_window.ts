// The server's side of mapped-file windows and tokens (abi/file_window.ts has the records and the
// protocol): a Token per open file's VM object, with the file's page table, and a Window per open
// file description. The server takes a token's lock around everything it does to the file
// (reentrant: the server is one thread), waiting while a task copies; a task that holds it past
// TOKEN_TIMEOUT_MS is killed (after the server has taken the lock from it), so a stuck task can
// never stop the server for good. A process that ends lets go of the locks it held. The page cache
// tells a token when a page comes or goes (mapped); the table grows with the file, in place while it
// can and moved to a larger slot when not. Knows nothing of vnodes or descriptors.
import { PAGE_SIZE as FRAME_SIZE } from '../../kernel-as/bindings/abi.js';
import {
  TABLE_DIRTY, TOKEN, TOKEN_ACCESSED, TOKEN_BACKED, TOKEN_BYTES, TOKEN_F64, TOKEN_SERVER, WINDOW, WINDOW_BYTES, WINDOW_F64, tokenTryLock, tokenUnlock,
} from '../../abi/file_window.js';
import type { FrameAllocator } from './frames.js';
import { RecordSlab } from './records.js';
import type { VmObject } from './page_cache.js';

/** How long a task may hold a token's lock while the server waits for it: then it is killed. */
export const TOKEN_TIMEOUT_MS = 1000;
/** Polls of a held lock before the server sleeps on it (a task's copy takes microseconds). */
const SPIN = 2000;
/** The smallest page table (entries): a file of up to 64 KiB. */
const MIN_ENTRIES = 16;

export class Token {
  /** Windows open on it. */
  refs = 0;
  /** Called before it goes (its last window closed), while its record can still be read. */
  onFree: (() => void) | undefined;
  /** The server's nesting of locked(). */
  private depth = 0;
  private readonly word: number;
  private readonly f64: number;
  /** The page table's address and its entries. */
  private table = 0;
  private entries = 0;

  constructor(private readonly windows: Windows, readonly addr: number, readonly object: VmObject) {
    this.word = addr >> 2;
    this.f64 = addr >> 3;
    if (object.backing) Atomics.store(windows.words, this.word + TOKEN.flags, TOKEN_BACKED);
    let last = -1;
    for (const index of object.pages.keys()) last = Math.max(last, index);
    this.grow(last + 1);
    for (const [index, page] of object.pages) this.mapped(index, page.addr);
  }

  /** Run `fn` holding the lock (taken from a task if it must wait for it: see lock). */
  locked<T>(fn: () => T): T {
    this.lock();
    try {
      return fn();
    } finally {
      this.unlock();
    }
  }

  /** Page `index` of the file is now at `addr` (0: gone). */
  mapped(index: number, addr: number): void {
    this.locked(() => {
      if (index >= this.entries) {
        if (addr === 0) return;
        this.grow(index + 1);
      }
      Atomics.store(this.windows.words, (this.table >> 2) + index, addr);
    });
  }

  /** Whether a task wrote page `index` since the last look; cleared. */
  takeDirty(index: number): boolean {
    if (index >= this.entries) return false;
    return this.locked(() => (Atomics.and(this.windows.words, (this.table >> 2) + index, ~TABLE_DIRTY) & TABLE_DIRTY) !== 0);
  }

  /** The file's size, which tasks read (it changes only here). */
  set size(bytes: number) {
    this.locked(() => (this.windows.f64[this.f64 + TOKEN_F64.size] = bytes));
  }

  /** When a task last wrote the file (ms since the epoch), or 0; cleared. */
  takeModified(): number {
    return this.locked(() => {
      const ms = this.windows.f64[this.f64 + TOKEN_F64.mtime];
      this.windows.f64[this.f64 + TOKEN_F64.mtime] = 0;
      return ms;
    });
  }

  /** Whether a task read the file since the last look; cleared. */
  takeAccessed(): boolean {
    return (Atomics.and(this.windows.words, this.word + TOKEN.flags, ~TOKEN_ACCESSED) & TOKEN_ACCESSED) !== 0;
  }

  /** The pid of the task holding the lock, or 0. */
  get holder(): number {
    const h = Atomics.load(this.windows.words, this.word + TOKEN.lock);
    return h === TOKEN_SERVER ? 0 : h;
  }

  /** A process ended: a lock it held (it died mid-copy) is let go. */
  releaseFor(pid: number): void {
    tokenUnlock(this.windows.words, this.word, pid);
  }

  /** Give the page table back (the token goes). */
  free(): void {
    this.windows.tables.release(this.table, this.entries);
  }

  /** A table with room for at least `entries` pages, what the old one held copied over (under the lock). */
  private grow(entries: number): void {
    const size = Math.max(MIN_ENTRIES, 2 ** Math.ceil(Math.log2(Math.max(entries, 1))));
    if (size <= this.entries) return;
    const table = this.windows.tables.alloc(size);
    const words = this.windows.words;
    if (this.table !== 0) {
      words.copyWithin(table >> 2, this.table >> 2, (this.table >> 2) + this.entries);
      this.windows.tables.release(this.table, this.entries);
    }
    [this.table, this.entries] = [table, size];
    Atomics.store(words, this.word + TOKEN.table, table);
    Atomics.store(words, this.word + TOKEN.entries, size);
  }

  private lock(): void {
    if (this.depth++ > 0) return;
    if (!tokenTryLock(this.windows.words, this.word, TOKEN_SERVER)) this.wait();
  }

  private unlock(): void {
    if (--this.depth === 0) tokenUnlock(this.windows.words, this.word, TOKEN_SERVER);
  }

  /** Wait for a task to let the lock go; past TOKEN_TIMEOUT_MS with one holder, take it and kill the holder. */
  private wait(): void {
    const words = this.windows.words;
    const lock = this.word + TOKEN.lock;
    let holder = Atomics.load(words, lock);
    let since = performance.now();
    for (let polls = 0; !tokenTryLock(words, this.word, TOKEN_SERVER); polls++) {
      const now = Atomics.load(words, lock);
      if (now !== holder) [holder, since] = [now, performance.now()];
      if (now === 0 || polls < SPIN) continue;
      if (performance.now() - since >= TOKEN_TIMEOUT_MS) {
        if (Atomics.compareExchange(words, lock, holder, TOKEN_SERVER) !== holder) continue;
        this.windows.stuck(holder);
        return;
      }
      Atomics.store(words, this.word + TOKEN.waiters, 1);
      Atomics.wait(words, lock, holder, 1);
    }
  }
}

export class Window {
  private readonly f64: number;

  constructor(private readonly windows: Windows, readonly token: Token, readonly addr: number, fdflags: number) {
    this.f64 = addr >> 3;
    Atomics.store(windows.words, (addr >> 2) + WINDOW.token, token.addr);
    this.fdflags = fdflags;
  }

  /** The open file description's offset (read and written under the token's lock). */
  get offset(): number {
    return this.windows.f64[this.f64 + WINDOW_F64.offset];
  }

  set offset(at: number) {
    this.windows.f64[this.f64 + WINDOW_F64.offset] = at;
  }

  set fdflags(flags: number) {
    Atomics.store(this.windows.words, (this.addr >> 2) + WINDOW.fdflags, flags);
  }

  close(): void {
    this.windows.close(this);
  }
}

/**
 * Page tables of 2^k entries: from slabs up to a frame's worth, runs of frames beyond, each given
 * back zeroed (a slot's words say "no page" until the server fills them).
 */
class PageTables {
  private slabs = new Map<number, RecordSlab>();

  /** `reach`: called with each table's place, so views of the memory are renewed to cover it. */
  constructor(private readonly frames: FrameAllocator, private readonly memory: WebAssembly.Memory, private readonly reach: (addr: number, bytes: number) => number) {}

  alloc(entries: number): number {
    const bytes = entries * 4;
    if (bytes <= FRAME_SIZE) return this.reach(this.slab(bytes).alloc(), bytes);
    const addr = this.reach(this.frames.allocRun(bytes / FRAME_SIZE), bytes);
    new Uint8Array(this.memory.buffer, addr, bytes).fill(0);
    return addr;
  }

  release(addr: number, entries: number): void {
    const bytes = entries * 4;
    if (bytes > FRAME_SIZE) this.frames.releaseRun(addr, bytes / FRAME_SIZE);
    else this.slab(bytes).release(addr);
  }

  private slab(bytes: number): RecordSlab {
    let slab = this.slabs.get(bytes);
    if (!slab) this.slabs.set(bytes, (slab = new RecordSlab(this.frames, this.memory, bytes)));
    return slab;
  }
}

/** Every token and window of the server. */
export class Windows {
  /** Called (later, outside whatever waited) with the pid of a task that held a lock too long. */
  onStuck: (pid: number) => void = () => {};
  readonly tables: PageTables;
  private w: Int32Array;
  private d: Float64Array;
  private tokens: RecordSlab;
  private windows: RecordSlab;
  private live = new Set<Token>();

  constructor(private readonly memory: WebAssembly.Memory, frames: FrameAllocator) {
    this.w = new Int32Array(memory.buffer);
    this.d = new Float64Array(memory.buffer);
    this.tokens = new RecordSlab(frames, memory, TOKEN_BYTES);
    this.windows = new RecordSlab(frames, memory, WINDOW_BYTES);
    this.tables = new PageTables(frames, memory, (addr, bytes) => this.reach(addr, bytes));
  }

  /** The machine memory as words, and as f64s (renewed when a memory that is not shared grew and detached them). */
  get words(): Int32Array {
    if (this.w.byteLength === 0) this.renew();
    return this.w;
  }

  get f64(): Float64Array {
    if (this.d.byteLength === 0) this.renew();
    return this.d;
  }

  /** `addr`, once the views reach the `bytes` there (the memory grows as frames are taken). */
  reach(addr: number, bytes: number): number {
    if (addr + bytes > this.w.byteLength) this.renew();
    return addr;
  }

  /** A window on `object`, whose file is `size` bytes, at offset 0; its token made if it has none. */
  open(object: VmObject, size: number, fdflags: number): Window {
    let token = object.token;
    if (token === undefined) {
      token = object.token = new Token(this, this.reach(this.tokens.alloc(), TOKEN_BYTES), object);
      token.size = size;
      this.live.add(token);
    }
    token.refs++;
    return new Window(this, token, this.reach(this.windows.alloc(), WINDOW_BYTES), fdflags);
  }

  close(window: Window): void {
    const token = window.token;
    this.windows.release(window.addr);
    if (--token.refs > 0) return;
    token.onFree?.();
    token.free();
    token.object.token = undefined;
    this.live.delete(token);
    this.tokens.release(token.addr);
  }

  /** Tokens in use: one per open file. */
  get tokenCount(): number {
    return this.live.size;
  }

  /** A process ended: every lock it held is let go. */
  releaseLocks(pid: number): void {
    for (const token of this.live) token.releaseFor(pid);
  }

  stuck(pid: number): void {
    setTimeout(() => this.onStuck(pid), 0);
  }

  private renew(): void {
    this.w = new Int32Array(this.memory.buffer);
    this.d = new Float64Array(this.memory.buffer);
  }
}
