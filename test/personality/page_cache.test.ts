// The page cache (personality/vm/page_cache.ts) at unit level against dist/: pages carved 16 to a
// frame and frames given back once all their pages are free; holes; truncation; the bound and the
// order pages are stolen in, with a fake backing store (dirty pages written back first, wired pages
// never stolen); the counters; then tmpfs's file data living in the cache's machine memory, and
// given back when the file goes; and on a machine, the census's frames back to their idle value after
// programs filled files (the page cache's frames are left out only while they hold named files' data).
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Machine, type Census } from '../../dist/host/machine.js';
import { CapturePlatform } from '../../dist/host/node/capture.js';
import { FrameAllocator } from '../../dist/personality/vm/frames.js';
import { CACHE_PAGE_SIZE, PageCache, type BackingStore, type Page } from '../../dist/personality/vm/page_cache.js';
import { TmpFs } from '../../dist/personality/vfs/tmpfs.js';
import { OpenFile } from '../../dist/personality/vfs/file.js';

const FRAME = 65536;

function setup(bound?: number): { cache: PageCache; frames: FrameAllocator; memory: WebAssembly.Memory } {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const frames = new FrameAllocator(memory, FRAME); // frame 0 left out, as the server's first frame is not at 0
  return { cache: new PageCache(memory, frames, bound), frames, memory };
}

/** A backing store in a Map: what was paged in and out, by index. */
class FakeStore implements BackingStore {
  readonly stored = new Map<number, Uint8Array>();
  readonly pagedIn: number[] = [];
  readonly pagedOut: number[] = [];

  pageIn(index: number, into: Uint8Array): void {
    this.pagedIn.push(index);
    const data = this.stored.get(index);
    if (data) into.set(data);
  }

  pageOut(index: number, from: Uint8Array): void {
    this.pagedOut.push(index);
    this.stored.set(index, from.slice());
  }
}

const bytes = (text: string) => new TextEncoder().encode(text);

describe('page cache', () => {
  it('carves 16 pages from a frame, takes a second frame for the 17th, and gives each back when all its pages are free', () => {
    const { cache, frames } = setup();
    const object = cache.object();
    const pages = Array.from({ length: 17 }, (_, i) => cache.grab(object, i));
    expect([cache.pages, cache.frameTotal, frames.inUse]).toEqual([17, 2, 2]);
    const addrs = pages.map((p) => p.addr);
    expect(new Set(addrs).size).toBe(17);
    expect(addrs.every((a) => a >= FRAME && a % CACHE_PAGE_SIZE === 0)).toBe(true);
    expect(new Set(addrs.map((a) => Math.floor(a / FRAME))).size).toBe(2);
    cache.free(pages[16]!); // the second frame's only page
    expect([cache.frameTotal, frames.inUse]).toEqual([1, 1]);
    for (const p of pages.slice(1, 16)) cache.free(p);
    expect([cache.pages, cache.frameTotal, frames.inUse]).toEqual([1, 1, 1]); // one page still holds the frame
    cache.free(pages[0]!);
    expect([cache.pages, cache.frameTotal, frames.inUse]).toEqual([0, 0, 0]);
    expect(object.pages.size).toBe(0);
  });

  it('a freed page comes back as zeros', () => {
    const { cache } = setup();
    const object = cache.object();
    const keep = cache.grab(object, 0); // holds the frame
    const page = cache.grab(object, 1);
    cache.write(object, CACHE_PAGE_SIZE, new Uint8Array(CACHE_PAGE_SIZE).fill(9));
    cache.free(page);
    const again = cache.grab(object, 1);
    expect(again.addr).toBe(page.addr);
    expect(cache.data(again).every((b) => b === 0)).toBe(true);
    expect(keep.wired && again.wired).toBe(true); // no backing store: wired
  });

  it('a page\'s data is a view of the memory at its address', () => {
    const { cache, memory } = setup();
    const object = cache.object();
    const page = cache.grab(object, 0);
    cache.write(object, 100, bytes('machine'));
    expect(new TextDecoder().decode(new Uint8Array(memory.buffer, page.addr + 100, 7))).toBe('machine');
    expect(cache.data(page).buffer).toBe(memory.buffer);
    const into = new Uint8Array(7);
    cache.read(object, 100, into);
    expect(new TextDecoder().decode(into)).toBe('machine');
    expect(page.dirty).toBe(true);
  });

  it('reads and writes across pages, contiguous in memory or not, with holes read as zeros', () => {
    const { cache } = setup();
    const object = cache.object();
    const other = cache.object();
    for (const i of [0, 1]) {
      cache.grab(object, i);
      cache.grab(other, i); // interleaved: object's pages 0 and 1 are not neighbours in memory
    }
    const [three, four] = [cache.grab(object, 3), cache.grab(object, 4)]; // these are
    expect([object.pages.get(1)!.addr - object.pages.get(0)!.addr, four.addr - three.addr]).toEqual([2 * CACHE_PAGE_SIZE, CACHE_PAGE_SIZE]);
    const data = Uint8Array.from({ length: 5 * CACHE_PAGE_SIZE }, (_, i) => (i % 251) + 1);
    cache.write(object, 0, data.subarray(0, 2 * CACHE_PAGE_SIZE));
    cache.write(object, 3 * CACHE_PAGE_SIZE, data.subarray(3 * CACHE_PAGE_SIZE));
    const into = new Uint8Array(5 * CACHE_PAGE_SIZE - 20);
    cache.read(object, 10, into);
    const expected = data.slice(10, 5 * CACHE_PAGE_SIZE - 10).fill(0, 2 * CACHE_PAGE_SIZE - 10, 3 * CACHE_PAGE_SIZE - 10);
    expect(into).toEqual(expected);
    expect(cache.counters).toMatchObject({ hits: 4, misses: 1 }); // pages 0, 1, 3, 4 and the hole 2
    const probe = new Uint8Array(CACHE_PAGE_SIZE);
    cache.read(other, 0, probe);
    expect(probe.every((b) => b === 0)).toBe(true); // the other object's pages were not written
  });

  it('a missing page is a miss (a hole), a resident one a hit', () => {
    const { cache } = setup();
    const object = cache.object();
    expect(cache.lookup(object, 5)).toBeUndefined();
    const page = cache.grab(object, 5);
    expect(cache.lookup(object, 5)).toBe(page);
    expect(cache.lookup(object, 6)).toBeUndefined();
    expect(cache.counters).toEqual({ hits: 1, misses: 2, evictions: 0, writeBacks: 0 });
  });

  it('truncate frees the pages past the size and zeros the tail of the page holding it', () => {
    const { cache } = setup();
    const object = cache.object();
    for (let i = 0; i < 4; i++) cache.grab(object, i);
    cache.write(object, 0, new Uint8Array(4 * CACHE_PAGE_SIZE).fill(7));
    expect(cache.truncate(object, CACHE_PAGE_SIZE + 10)).toBe(2);
    expect([...object.pages.keys()].sort()).toEqual([0, 1]);
    const tail = cache.data(object.pages.get(1)!);
    expect([tail[9], tail[10], tail[CACHE_PAGE_SIZE - 1]]).toEqual([7, 0, 0]);
    expect(cache.truncate(object, 0)).toBe(2);
    expect(cache.frameTotal).toBe(0);
  });

  it('past its bound it steals the least recently used page of a backed object, writing it back first if dirty', () => {
    const { cache } = setup(3);
    const store = new FakeStore();
    store.stored.set(2, bytes('from the store'));
    const file = cache.object(store);
    for (const i of [0, 1, 2]) cache.fault(file, i); // LRU, oldest first: 0 1 2
    expect(store.pagedIn).toEqual([0, 1, 2]);
    expect(new TextDecoder().decode(cache.data(file.pages.get(2)!).subarray(0, 14))).toBe('from the store');
    expect(cache.lookup(file, 0)).toBeDefined(); // 1 2 0
    cache.write(file, CACHE_PAGE_SIZE, bytes('dirty'));
    cache.fault(file, 3); // steals 1, dirty: written back
    expect([[...file.pages.keys()].sort(), store.pagedOut]).toEqual([[0, 2, 3], [1]]);
    cache.fault(file, 4); // steals 2, clean: dropped
    expect([[...file.pages.keys()].sort(), store.pagedOut]).toEqual([[0, 3, 4], [1]]);
    const back = cache.fault(file, 1); // steals 0; page 1 comes back from the store
    expect(new TextDecoder().decode(cache.data(back).subarray(0, 5))).toBe('dirty');
    expect(cache.counters).toEqual({ hits: 1, misses: 6, evictions: 3, writeBacks: 1 });
    expect(cache.pages).toBe(3);
  });

  it('wired pages (no backing store) are never stolen: the cache goes past its bound rather', () => {
    const { cache } = setup(2);
    const store = new FakeStore();
    const backed = cache.object(store);
    cache.fault(backed, 0);
    const wired = cache.object();
    const pages: Page[] = [0, 1, 2].map((i) => cache.grab(wired, i)); // steals the backed page, then grows
    expect([backed.pages.size, wired.pages.size, cache.pages]).toEqual([0, 3, 3]);
    expect(cache.counters.evictions).toBe(1);
    expect(pages.every((p) => p.wired)).toBe(true);
  });

  it('flush writes dirty pages back and leaves them resident and clean', () => {
    const { cache } = setup();
    const store = new FakeStore();
    const file = cache.object(store);
    const page = cache.fault(file, 7);
    cache.write(file, 7 * CACHE_PAGE_SIZE, bytes('x'));
    cache.fault(file, 8);
    cache.flush(file);
    expect([store.pagedOut, page.dirty, file.pages.size, cache.counters.writeBacks]).toEqual([[7], false, 2, 1]);
    cache.flush(file);
    expect(cache.counters.writeBacks).toBe(1);
  });
});

describe('tmpfs data in the page cache', () => {
  it('lives in machine memory: the cache holds a page per 4 KiB written, and gets them all back when the file goes', () => {
    const { cache, frames, memory } = setup();
    const fs = new TmpFs(1n, Number.POSITIVE_INFINITY, undefined, cache);
    const file = fs.root.create('f', true);
    const open = new OpenFile(file, 0); // held open past its unlink: its token, window and page table take a frame each
    file.write(0, new Uint8Array(40 * CACHE_PAGE_SIZE + 1).fill(0x5a));
    expect([cache.pages, cache.frameTotal, frames.inUse]).toEqual([41, 3, 6]);
    const inMemory = new Uint8Array(memory.buffer).filter((b) => b === 0x5a).length;
    expect(inMemory).toBe(40 * CACHE_PAGE_SIZE + 1);
    file.write(100 * CACHE_PAGE_SIZE, bytes('far')); // sparse: one page more, not 59
    expect(cache.pages).toBe(42);
    file.setSize(CACHE_PAGE_SIZE);
    expect(cache.pages).toBe(1);
    fs.root.unlink('f');
    expect(cache.pages).toBe(1); // still open
    open.drop();
    expect([cache.pages, cache.frameTotal, frames.inUse]).toEqual([0, 0, 0]);
  });

  it('a removed file still open is not named: its pages are not among the named ones until it goes', () => {
    const { cache } = setup();
    const fs = new TmpFs(1n, Number.POSITIVE_INFINITY, undefined, cache);
    fs.root.mkdir('d');
    const file = fs.root.lookup('d').create('f', true);
    file.write(0, new Uint8Array(3 * CACHE_PAGE_SIZE));
    fs.root.link('hard', file);
    expect([fs.namedPages(), cache.pages]).toEqual([3, 3]); // a file with two names counts once
    const open = new OpenFile(file, 0);
    fs.root.unlink('hard');
    fs.root.lookup('d').unlink('f');
    expect([fs.namedPages(), cache.pages]).toEqual([0, 3]);
    open.drop();
    expect(cache.pages).toBe(0);
  });

  it('clear (an unmount for good) removes every name, and gives back the pages of files not open', () => {
    const { cache, frames } = setup();
    const fs = new TmpFs(1n, Number.POSITIVE_INFINITY, undefined, cache);
    fs.root.mkdir('d');
    fs.root.lookup('d').create('f', true).write(0, new Uint8Array(20 * CACHE_PAGE_SIZE));
    const kept = fs.root.create('g', true);
    kept.write(0, new Uint8Array(1));
    const open = new OpenFile(kept, 0);
    fs.clear();
    expect([fs.root.entries().length, cache.pages, fs.metadataBytes > 0]).toEqual([2, 1, true]);
    open.drop();
    expect([cache.pages, frames.inUse, fs.metadataBytes, fs.bytesUsed]).toEqual([0, 0, 0, 0]);
  });
});

describe('file data on a machine', () => {
  const platform = new CapturePlatform();
  let machine: Machine;
  let idle: Census;
  const fill = async () => WebAssembly.compile(await readFile(new URL('../programs/fill.wasm', import.meta.url)));

  beforeAll(async () => {
    machine = await Machine.boot(platform, { fileMemory: 1 << 20 });
    idle = await machine.census();
  });

  afterAll(async () => {
    await machine?.shutdown();
  });

  it('a program filling a fresh tmpfs mounted for it: its frames all come back when it ends (the mount goes)', async () => {
    for (let i = 0; i < 3; i++) {
      platform.clear();
      expect(await machine.run(await fill(), ['fill.wasm', '/scratch/big'], [], { mounts: [{ guest: '/scratch' }] })).toEqual({ code: 0 });
      expect(platform.out[1]).toMatch(/^wrote \d+ KiB, then: No space left on device\n$/);
      expect(await machine.census()).toEqual(idle);
    }
  });

  it('a file left in /tmp is not a leak: the census is its idle value with the file there', async () => {
    platform.clear();
    expect(await machine.run(await fill(), ['fill.wasm', '/tmp/big'])).toEqual({ code: 0 });
    expect(platform.out[1]).toMatch(/^wrote 9\d\d KiB/);
    expect(await machine.census()).toEqual(idle);
  });
});
