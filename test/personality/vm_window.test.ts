// Tokens and windows at unit level (personality/vm/vm_window.ts, the records of abi/file_window.ts)
// against dist/, over a shared machine memory as the server's: a token's page table names each page
// of the file where it lies and follows the page cache (a page written into a hole, a truncation, a
// page stolen to stay within the bound, with its dirty data written back first), growing with the
// file; a window's offset is one for every sharer; the lock keeps the server out while a task holds
// it, is taken from a holder that never lets go (who is then reported to be killed), and is let go
// when its holder's process ends; and the records give their frames back.
import { describe, expect, it } from 'vitest';
import { FrameAllocator } from '../../dist/personality/vm/frames.js';
import { CACHE_PAGE_SIZE, PageCache, type BackingStore } from '../../dist/personality/vm/page_cache.js';
import { TOKEN_TIMEOUT_MS } from '../../dist/personality/vm/vm_window.js';
import { TOKEN, TOKEN_F64, TOKEN_SERVER } from '../../dist/abi/file_window.js';

const FRAME = 65536;

function setup(bound?: number) {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 1024, shared: true });
  const frames = new FrameAllocator(memory, FRAME);
  const cache = new PageCache(memory, frames, bound);
  const words = () => new Int32Array(memory.buffer);
  return { memory, frames, cache, words };
}

/** The token's page table as a task reads it: the address of each page, 0 for none. */
function table(words: Int32Array, token: number): number[] {
  const t = token >> 2;
  const base = words[t + TOKEN.table] >> 2;
  return [...words.subarray(base, base + words[t + TOKEN.entries])];
}

class Store implements BackingStore {
  readonly out: number[] = [];
  pageIn(index: number, into: Uint8Array): void {
    into.fill(index + 1);
  }
  pageOut(index: number): void {
    this.out.push(index);
  }
}

describe('tokens and windows', () => {
  it("a token's page table follows the file's pages: written into holes, truncated, grown past its size", () => {
    const { cache, words } = setup();
    const file = cache.object();
    const first = cache.grab(file, 0);
    const window = cache.windows.open(file, CACHE_PAGE_SIZE, 0);
    const token = window.token.addr;
    expect(table(words(), token)).toEqual([first.addr, ...Array(15).fill(0)]);
    const third = cache.grab(file, 2);
    expect(table(words(), token).slice(0, 3)).toEqual([first.addr, 0, third.addr]);
    const far = cache.grab(file, 100); // the table moves to one of 128 entries, what it held copied
    const grown = table(words(), token);
    expect([grown.length, grown[0], grown[2], grown[100]]).toEqual([128, first.addr, third.addr, far.addr]);
    cache.truncate(file, CACHE_PAGE_SIZE);
    expect(table(words(), token).filter((a) => a !== 0)).toEqual([first.addr]);
    window.token.size = 12345;
    expect(new Float64Array(words().buffer)[(token >> 3) + TOKEN_F64.size]).toBe(12345);
    window.close();
  });

  it('a page stolen to keep the bound is written back first and leaves the table', () => {
    const { cache, words } = setup(2);
    const store = new Store();
    const file = cache.object(store);
    const page0 = cache.fault(file, 0);
    const window = cache.windows.open(file, 3 * CACHE_PAGE_SIZE, 0);
    cache.write(file, 0, new Uint8Array([9]));
    cache.fault(file, 1);
    expect(table(words(), window.token.addr).slice(0, 2)).toEqual([page0.addr, file.pages.get(1)!.addr]);
    cache.fault(file, 2); // past the bound: page 0, the least recently used, goes
    expect([store.out, table(words(), window.token.addr)[0], file.pages.has(0)]).toEqual([[0], 0, false]);
    window.close();
  });

  it('windows on one object share its token; each keeps its own offset; the records give their frames back', () => {
    const { cache, frames } = setup();
    const file = cache.object();
    const a = cache.windows.open(file, 0, 0);
    const b = cache.windows.open(file, 0, 0);
    expect(a.token).toBe(b.token);
    a.offset = 10;
    b.offset = 20;
    expect([a.offset, b.offset]).toEqual([10, 20]);
    a.close();
    expect(file.token).toBe(b.token);
    b.close();
    expect([file.token, frames.inUse]).toEqual([undefined, 0]);
  });

  it('the server waits for a task holding the lock, takes it from one that never lets go, and reports it to be killed', async () => {
    const { cache, words } = setup();
    const file = cache.object();
    const window = cache.windows.open(file, 0, 0);
    const lock = (window.token.addr >> 2) + TOKEN.lock;
    const stuck: number[] = [];
    cache.windows.onStuck = (pid) => stuck.push(pid);
    Atomics.store(words(), lock, 42); // task 42 copies, and never ends
    expect(window.token.holder).toBe(42);
    const start = performance.now();
    const inside = window.token.locked(() => Atomics.load(words(), lock));
    expect(inside).toBe(TOKEN_SERVER);
    expect(performance.now() - start).toBeGreaterThanOrEqual(TOKEN_TIMEOUT_MS);
    expect(Atomics.load(words(), lock)).toBe(0);
    await new Promise((r) => setTimeout(r, 10)); // reported outside the wait
    expect(stuck).toEqual([42]);
    Atomics.store(words(), lock, TOKEN_SERVER + 0); // a holder that was robbed lets nothing go
    window.token.releaseFor(42);
    expect(Atomics.load(words(), lock)).toBe(TOKEN_SERVER);
    Atomics.store(words(), lock, 0);
    window.close();
  });

  it("a process that ends lets go of the locks it held", () => {
    const { cache, words } = setup();
    const file = cache.object();
    const window = cache.windows.open(file, 0, 0);
    const lock = (window.token.addr >> 2) + TOKEN.lock;
    Atomics.store(words(), lock, 7);
    cache.windows.releaseLocks(8);
    expect(Atomics.load(words(), lock)).toBe(7);
    cache.windows.releaseLocks(7);
    expect(Atomics.load(words(), lock)).toBe(0);
    window.close();
  });
});
