// Mapped-file windows and tokens (dean-armand-1992 3.1 and 4.1, Mach 3.0's emulation library): the
// records in machine memory through which a task library reads and writes a cached file's pages
// itself, with no IPC. Shared by the server (personality/vm/vm_window.ts), which makes and changes
// them, and the task library (libsystem/file_windows.ts), which uses them.
//
// A token record belongs to one file's VM object while the file is open, with the file's size and
// its page table: a machine-memory address for each page of the file (a task that writes the page
// sets its TABLE_DIRTY bit, which the server takes when it writes dirty pages back), 0 for a page
// that is not there: a hole, reading as zeros, or (TOKEN_BACKED: a host file's) a page still in
// its backing store, which the server must bring in. Its lock is the token: held by a task (active) while the task
// copies, free (passive) between calls, and taken by the server around everything it does to the
// file (a read, a write, a truncation, a page coming or going, the table moving as the file grows),
// so each read and write is atomic against every other, and a task never uses a page the server
// has taken away: it reads the table, the size and the offset afresh each time it holds the token.
// The paper's windows were 64 KiB because a mapping cost Mach a VM operation; a page's entry here
// costs 4 bytes, so a window spans the whole file and is never changed.
// A window record belongs to one open file description (shared across processes by fork and spawn,
// as its offset must be): its offset, its status flags, and its token.
//
// Token record (TOKEN_BYTES, 32-bit words at byte offsets; every word access atomic, the f64s are
// read and written only under the lock):
//    0 lock    0 free; the pid of the task holding it; or TOKEN_SERVER
//    4 waiters nonzero: someone sleeps on lock (the releaser notifies)
//    8 flags   TOKEN_ACCESSED: a task read the file since the server last looked (its atime);
//              TOKEN_BACKED: a missing page is in the backing store, not a hole
//   12 table   the page table's address: one word per page, from page 0
//   16 entries the pages the table has entries for (pages past them: ask the server)
//   24 size    f64: the file's size (only the server changes it)
//   32 mtime   f64: ms since the epoch of the last write a task made (0: none since the server looked)
// Window record (WINDOW_BYTES):
//    0 token   the address of its token record
//    4 fdflags the description's WASI fdflags (FDFLAGS.append: writes go to the server)
//    8 offset  f64: the open file description's offset

export const TOKEN_BYTES = 64;
/** Window records are this long, and aligned so, which leaves the fast-path table's bits free below their addresses. */
export const WINDOW_BYTES = 128;
/** Bytes per page of the cache (personality/vm/page_cache.ts), and of a page table's entry's page. */
export const WINDOW_PAGE_SIZE = 4096;

export const TOKEN = { lock: 0, waiters: 1, flags: 2, table: 3, entries: 4 } as const;
/** Float64 indexes (byte offset / 8) within a token record. */
export const TOKEN_F64 = { size: 3, mtime: 4 } as const;
export const WINDOW = { token: 0, fdflags: 1 } as const;
export const WINDOW_F64 = { offset: 1 } as const;

/** The token's lock holder when the server holds it (pids are positive). */
export const TOKEN_SERVER = -1;
export const TOKEN_ACCESSED = 1;
export const TOKEN_BACKED = 2;
/** A page table entry's bit: a task wrote the page. */
export const TABLE_DIRTY = 1;
/** A page table entry's page address. */
export const TABLE_PAGE = -WINDOW_PAGE_SIZE;

/**
 * The fast-path table's bits for a file (COMMPAGE.fastpath): the window's address (WINDOW_BYTES
 * aligned) | FAST_FILE | what the descriptor's rights let the task do itself.
 */
export const FAST_FILE = 8;
export const FAST_FILE_READ = 16;
export const FAST_FILE_WRITE = 32;
export const FAST_FILE_SEEK = 64;
export const FAST_FILE_MASK = ~(WINDOW_BYTES - 1);

/** Take the token's lock for `owner` if it is free (`token`: the record's word index, its address / 4). */
export function tokenTryLock(words: Int32Array, token: number, owner: number): boolean {
  return Atomics.compareExchange(words, token + TOKEN.lock, 0, owner) === 0;
}

/**
 * Let the token's lock go if `owner` holds it (a task whose lock the server took, for holding it too
 * long, lets nothing go), waking whoever sleeps on it.
 */
export function tokenUnlock(words: Int32Array, token: number, owner: number): void {
  if (Atomics.compareExchange(words, token + TOKEN.lock, owner, 0) !== owner) return;
  if (Atomics.load(words, token + TOKEN.waiters) !== 0) {
    Atomics.store(words, token + TOKEN.waiters, 0);
    Atomics.notify(words, token + TOKEN.lock);
  }
}
