// The page cache (XNU's unified buffer cache, in small): file data in 4 KiB pages of machine memory,
// carved from the server's 64 KiB frames (FrameAllocator; a frame goes back once all its pages are
// free), so that task libraries read it where it lies. A VmObject is one file's pages by
// index, sparse (a missing page reads as zeros, or comes from the object's backing store). Pages of
// objects with a backing store may be stolen, least recently used first, when the cache passes its
// bound (a dirty one is written back first); pages of objects without one (tmpfs) are wired and
// bounded by their owner. It counts hits, misses, evictions and write-backs. It knows nothing of file
// sizes, budgets or descriptors (tmpfs.ts). Task libraries read and write open files' pages where
// they lie, through windows (vm_window.ts): a page that comes or goes is entered in, or taken out
// of, its object's page table there. Their reads and writes are not counted here.
import { PAGE_SIZE as FRAME_SIZE } from '../../kernel-as/bindings/abi.js';
import { FrameAllocator } from './frames.js';
import { Windows, type Token } from './vm_window.js';

/** Bytes per page of the cache. */
export const CACHE_PAGE_SIZE = 4096;
const PAGES_PER_FRAME = FRAME_SIZE / CACHE_PAGE_SIZE;

/** Where an object's pages come from and go back to (an open host file's: host/node/hostfs_cache.ts): none for tmpfs. */
export interface BackingStore {
  /** Fill `into` (one page, zeros) with the store's data of page `index`. */
  pageIn(index: number, into: Uint8Array): void;
  /** Write page `index` back to the store. */
  pageOut(index: number, from: Uint8Array): void;
}

/** What the cache has done since it was made, and what it holds now: for tests and benchmarks. */
export interface CacheCounters {
  /** A page looked up was resident. */
  hits: number;
  /** A page looked up was not (a hole, or data still in the backing store). */
  misses: number;
  /** Pages stolen to stay within the bound. */
  evictions: number;
  /** Dirty pages written to their backing store (at a steal or a flush). */
  writeBacks: number;
}

/** One frame carved into pages: the slots (0-15) not in use. */
export class Frame {
  readonly free: number[] = [];

  constructor(readonly addr: number) {
    for (let slot = PAGES_PER_FRAME - 1; slot >= 0; slot--) this.free.push(slot);
  }

  get empty(): boolean {
    return this.free.length === PAGES_PER_FRAME;
  }
}

/** A page of the cache: its address in machine memory, whose page it is, and its state. */
export class Page {
  dirty = false;
  /** Neighbours in the cache's LRU (only pages that may be stolen are in it). */
  older: Page | null = null;
  newer: Page | null = null;

  constructor(readonly addr: number, readonly frame: Frame, readonly object: VmObject, readonly index: number, readonly wired: boolean) {}
}

/** One file's pages, by index; `backing` (if any) holds what is not resident. */
export class VmObject {
  readonly pages = new Map<number, Page>();
  /** While the file is open: the token of task libraries' windows on these pages (vm_window.ts), with their page table. */
  token: Token | undefined;

  constructor(readonly backing?: BackingStore) {}

  /** Run `fn` holding the token, if the file is open (no task library copies its pages meanwhile). */
  locked<T>(fn: () => T): T {
    return this.token === undefined ? fn() : this.token.locked(fn);
  }
}

export class PageCache {
  readonly counters: CacheCounters = { hits: 0, misses: 0, evictions: 0, writeBacks: 0 };
  /** Frames with a free slot. */
  private partial = new Set<Frame>();
  private frameCount = 0;
  private pageCount = 0;
  /** The pages that may be stolen, least recently used first. */
  private oldest: Page | null = null;
  private newest: Page | null = null;
  /** The whole memory; renewed when a frame lies past it, or when the memory grows and detaches it (not shared). */
  private bytes: Uint8Array;
  /** The windows and tokens of open files. */
  readonly windows: Windows;

  /** `bound`: the pages the cache holds before it steals (wired pages count, but are never stolen). */
  constructor(private readonly memory: WebAssembly.Memory, private readonly frames: FrameAllocator, readonly bound = Number.POSITIVE_INFINITY) {
    this.bytes = new Uint8Array(memory.buffer);
    this.windows = new Windows(memory, frames);
  }

  /** A cache with a memory of its own, for a server without a kernel (unit tests). */
  static standalone(bound?: number): PageCache {
    const memory = new WebAssembly.Memory({ initial: 0 });
    return new PageCache(memory, new FrameAllocator(memory, 0), bound);
  }

  /** Pages resident. */
  get pages(): number {
    return this.pageCount;
  }

  /** Frames held from the allocator. */
  get frameTotal(): number {
    return this.frameCount;
  }

  /** What /proc/vmstat shows: pages and frames held, the bound, the counters, the open files' tokens. */
  stats(): Record<string, number> {
    const { hits, misses, evictions, writeBacks } = this.counters;
    return {
      cache_pages: this.pageCount, cache_frames: this.frameCount, cache_bound: this.bound,
      cache_hits: hits, cache_misses: misses, cache_evictions: evictions, cache_writebacks: writeBacks, file_tokens: this.windows.tokenCount,
    };
  }

  object(backing?: BackingStore): VmObject {
    return new VmObject(backing);
  }

  /** Page `index` of `object` if resident (a hit, and the most recently used), or undefined (a miss). */
  lookup(object: VmObject, index: number): Page | undefined {
    const page = object.pages.get(index);
    if (page === undefined) this.counters.misses++;
    else this.hit(page);
    return page;
  }

  /** Page `index` of `object`, resident: found, or made (from the backing store, or zeros). */
  fault(object: VmObject, index: number): Page {
    const found = this.lookup(object, index);
    if (found !== undefined) return found;
    const page = this.grab(object, index);
    object.backing?.pageIn(index, this.data(page));
    return page;
  }

  /** A new page of zeros for `index` of `object` (which must not have one); steals first past the bound. */
  grab(object: VmObject, index: number): Page {
    while (this.pageCount >= this.bound && this.oldest !== null) this.steal(this.oldest);
    const frame = this.partial.values().next().value ?? this.newFrame();
    const slot = frame.free.pop()!;
    if (frame.free.length === 0) this.partial.delete(frame);
    const page = new Page(frame.addr + slot * CACHE_PAGE_SIZE, frame, object, index, object.backing === undefined);
    object.pages.set(index, page);
    this.pageCount++;
    if (!page.wired) this.link(page);
    object.token?.mapped(index, page.addr);
    return page;
  }

  /** Take page `page` out of its object and give its memory back (dirty data is dropped: see steal). */
  free(page: Page): void {
    page.object.token?.mapped(page.index, 0);
    page.object.pages.delete(page.index);
    if (!page.wired) this.unlink(page);
    this.pageCount--;
    const frame = page.frame;
    frame.free.push((page.addr - frame.addr) / CACHE_PAGE_SIZE);
    if (frame.empty) return this.dropFrame(frame);
    this.view().fill(0, page.addr, page.addr + CACHE_PAGE_SIZE); // a grabbed page is zeros
    this.partial.add(frame);
  }

  /** Drop `object`'s data at byte `size` and beyond: pages past it freed, the tail of the page holding it zeroed. The count freed. */
  truncate(object: VmObject, size: number): number {
    const keep = Math.ceil(size / CACHE_PAGE_SIZE);
    let freed = 0;
    for (const page of object.pages.values()) {
      if (page.index < keep) continue;
      this.free(page);
      freed++;
    }
    const tail = size % CACHE_PAGE_SIZE;
    const last = tail === 0 ? undefined : object.pages.get(keep - 1);
    if (last !== undefined) this.view().fill(0, last.addr + tail, last.addr + CACHE_PAGE_SIZE);
    return freed;
  }

  /** Write `object`'s dirty pages to its backing store; they stay resident, clean. */
  flush(object: VmObject): void {
    const backing = object.backing;
    if (backing === undefined) return;
    object.locked(() => {
      for (const page of object.pages.values()) if (this.dirty(page)) this.writeBack(page, backing);
    });
  }

  /**
   * Copy `into.length` bytes of `object` from byte `pos`: from its resident pages, zeros where it has
   * none (each page a hit or a miss; an object with a backing store faults its pages in first). Pages
   * that lie one after another in memory are copied at once.
   */
  read(object: VmObject, pos: number, into: Uint8Array): void {
    const bytes = this.view();
    let index = Math.floor(pos / CACHE_PAGE_SIZE);
    let start = pos - index * CACHE_PAGE_SIZE;
    for (let done = 0; done < into.length; index++, start = 0) {
      let count = Math.min(into.length - done, CACHE_PAGE_SIZE - start);
      const page = this.lookup(object, index);
      if (page === undefined) into.fill(0, done, done + count);
      else {
        for (let next = object.pages.get(index + 1); done + count < into.length && next?.addr === page.addr + (start + count); next = object.pages.get(index + 1)) {
          this.hit(next);
          index++;
          count += Math.min(into.length - done - count, CACHE_PAGE_SIZE);
        }
        into.set(bytes.subarray(page.addr + start, page.addr + start + count), done);
      }
      done += count;
    }
  }

  /**
   * Copy `from` into `object` at byte `pos`; every page it reaches must be resident (grab them first).
   * They are dirty. Pages that lie one after another in memory are copied at once.
   */
  write(object: VmObject, pos: number, from: Uint8Array): void {
    const bytes = this.view();
    let index = Math.floor(pos / CACHE_PAGE_SIZE);
    let start = pos - index * CACHE_PAGE_SIZE;
    for (let done = 0; done < from.length; index++, start = 0) {
      const page = object.pages.get(index)!;
      page.dirty = true;
      let count = Math.min(from.length - done, CACHE_PAGE_SIZE - start);
      for (let next = object.pages.get(index + 1); done + count < from.length && next?.addr === page.addr + (start + count); next = object.pages.get(index + 1)) {
        next.dirty = true;
        index++;
        count += Math.min(from.length - done - count, CACHE_PAGE_SIZE);
      }
      bytes.set(done === 0 && count === from.length ? from : from.subarray(done, done + count), page.addr + start);
      done += count;
    }
  }

  /** The page's bytes: a view of machine memory at its address (valid until the memory grows, if not shared). */
  data(page: Page): Uint8Array {
    return this.view().subarray(page.addr, page.addr + CACHE_PAGE_SIZE);
  }

  /** Give page `page` up to stay within the bound: written back first if dirty. */
  private steal(page: Page): void {
    page.object.locked(() => {
      if (this.dirty(page)) this.writeBack(page, page.object.backing!);
      this.free(page);
    });
    this.counters.evictions++;
  }

  /** Written since it was last clean: by the server, or by a task library through its object's token. */
  private dirty(page: Page): boolean {
    if (page.object.token?.takeDirty(page.index)) page.dirty = true;
    return page.dirty;
  }

  private writeBack(page: Page, backing: BackingStore): void {
    backing.pageOut(page.index, this.data(page));
    page.dirty = false;
    this.counters.writeBacks++;
  }

  private newFrame(): Frame {
    const frame = new Frame(this.frames.alloc()); // zeros
    if (frame.addr + FRAME_SIZE > this.bytes.byteLength) this.bytes = new Uint8Array(this.memory.buffer);
    this.partial.add(frame);
    this.frameCount++;
    return frame;
  }

  private dropFrame(frame: Frame): void {
    this.partial.delete(frame);
    this.frames.release(frame.addr);
    this.frameCount--;
  }

  /** The memory's bytes (renewed if another holder of the allocator grew a memory that is not shared). */
  private view(): Uint8Array {
    if (this.bytes.byteLength === 0) this.bytes = new Uint8Array(this.memory.buffer);
    return this.bytes;
  }

  private hit(page: Page): void {
    this.counters.hits++;
    if (!page.wired) this.touch(page);
  }

  /** Most recently used now: to the newest end of the LRU. */
  private touch(page: Page): void {
    if (page === this.newest) return;
    this.unlink(page);
    this.link(page);
  }

  private link(page: Page): void {
    page.older = this.newest;
    page.newer = null;
    if (this.newest !== null) this.newest.newer = page;
    else this.oldest = page;
    this.newest = page;
  }

  private unlink(page: Page): void {
    if (page.older !== null) page.older.newer = page.newer;
    else this.oldest = page.newer;
    if (page.newer !== null) page.newer.older = page.older;
    else this.newest = page.older;
    page.older = page.newer = null;
  }
}
