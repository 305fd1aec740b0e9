// A ring in machine memory: one frame of bytes between a producer and its consumers on other threads,
// with no server in between (the standard streams' data path; pipes later). A side that must wait
// says so in `flags` and sleeps on its partner's sequence word (Atomics.wait in a worker, waitAsync on
// a main thread), and clears its flag once awake; the partner wakes it after progress only while the
// flag is set, so a busy stream costs no wake-ups. Output rings carry records (host fd, length, bytes), so stdout and stderr keep their order.
// Several consumers may take bytes (each claims by compare-and-swap on `tail`); one producer puts at
// a time: a pipe's writers in several processes take the ring's lock around each put (`lock`), and
// a pipe ring wakes its sleepers after every step (`notifyAlways`), as several may sleep at once.
//
// Layout (byte offsets of 32-bit words, every access atomic):
//    0 head   bytes published, mod capacity             written by the producer
//    4 tail   bytes taken, mod capacity                 written by consumers (compare-and-swap)
//    8 flags  RING_* bits                                atomic or/and by either side
//   12 wseq   producer's events (put, closed)           consumers wait on it
//   16 rseq   consumers' events (taken, want, broken)   the producer waits on it
//   20 lock   0, or the pid of the writer putting        compare-and-swap (pipes)
//   64 data   capacity bytes; one is always left empty, so head === tail means empty

const HEAD = 0;
const TAIL = 1;
const FLAGS = 2;
const WSEQ = 3;
const RSEQ = 4;
const LOCK = 5;
export const RING_DATA = 64;
/** Bytes of each console ring, header included (a run of whole frames): a few of the host's input chunks. */
export const CONSOLE_RING_BYTES = 1 << 20;
/** Bytes of each pipe's ring (four frames), so a writer of 64 KiB pieces seldom waits for its reader. */
export const PIPE_RING_BYTES = 1 << 18;
/** Pipe writes up to this size are atomic (POSIX's minimum and Linux's value). */
export const PIPE_BUF = 4096;

/** The producer will put no more (end of input). */
export const RING_CLOSED = 1;
/** A consumer asked for data: the host starts reading its input (a program that never reads leaves it alone). */
export const RING_WANT = 2;
/** A consumer sleeps on wseq / the producer sleeps on rseq. */
export const RING_READER_WAITS = 4;
export const RING_WRITER_WAITS = 8;
/** The personality server parked a call on this ring: the host wakes it by IPC when data comes. */
export const RING_SERVER_WAITS = 16;
/** Output ring: the reader of host fd 1 (or 2) has gone; writers fall back to the system call (EPIPE). */
export function ringBroken(fd: number): number {
  return 32 << fd;
}
/** Pipe ring: every read end is closed; writers fall back to the system call (EPIPE, SIGPIPE). */
export const RING_NO_READERS = 256;

/** Record header of an output ring: host fd in the top byte, length below. */
const RECORD_HEADER = 4;
const RECORD_MAX = 0xffffff;

export type RingSide = 'reader' | 'writer';

export class Ring {
  private readonly words: Int32Array;
  private readonly data: Uint8Array;
  readonly capacity: number;
  /** A record header being put or taken (little-endian, as the machine's memory). */
  private readonly header = new Uint32Array(1);
  private readonly headerBytes = new Uint8Array(this.header.buffer);

  /**
   * The ring occupying `size` bytes at `addr` of `buffer` (a fresh frame is zero: empty, no flags).
   * `notifyAlways`: wake sleepers after every step, not only while a flag says one sleeps (pipes,
   * where several readers or writers may sleep at once and one flag cannot say so).
   */
  constructor(buffer: ArrayBufferLike, addr: number, size: number, private notifyAlways = false) {
    this.words = new Int32Array(buffer, addr, RING_DATA >> 2);
    this.data = new Uint8Array(buffer, addr + RING_DATA, size - RING_DATA);
    this.capacity = this.data.length;
  }

  /** Bytes waiting to be taken. */
  used(): number {
    return (Atomics.load(this.words, HEAD) - Atomics.load(this.words, TAIL) + this.capacity) % this.capacity;
  }

  /** Bytes that can be put now. */
  room(): number {
    return this.capacity - 1 - this.used();
  }

  flags(): number {
    return Atomics.load(this.words, FLAGS);
  }

  /** Set flag bits, then wake the partner of `by`, which waits for exactly such events. */
  signal(by: RingSide, bits: number): void {
    Atomics.or(this.words, FLAGS, bits);
    this.progress(by);
  }

  /** Set flag bits without waking anyone. */
  setFlags(bits: number): void {
    Atomics.or(this.words, FLAGS, bits);
  }

  clearFlags(bits: number): void {
    Atomics.and(this.words, FLAGS, ~bits);
  }

  /** Put `bytes` (the caller checked room()), after `first` if given, and publish them at once. */
  put(bytes: Uint8Array, first?: Uint8Array): void {
    let head = Atomics.load(this.words, HEAD);
    if (first) head = this.copyIn(head, first);
    Atomics.store(this.words, HEAD, this.copyIn(head, bytes));
    this.progress('writer');
  }

  /** Take up to into.length bytes (safe with other consumers); how many. */
  take(into: Uint8Array): number {
    for (;;) {
      const tail = Atomics.load(this.words, TAIL);
      const n = Math.min(into.length, this.used());
      const end = this.copyOut(tail, into.subarray(0, n));
      if (n === 0 || Atomics.compareExchange(this.words, TAIL, tail, end) === tail) {
        if (n) this.progress('reader');
        return n;
      }
    }
  }

  /** Take the writers' lock for `owner` (a pid) if it is free. */
  lock(owner: number): boolean {
    return Atomics.compareExchange(this.words, LOCK, 0, owner) === 0;
  }

  /** Let the lock go if `owner` holds it (a dead writer's, too: the server calls this when a process ends). */
  unlock(owner: number): void {
    Atomics.compareExchange(this.words, LOCK, owner, 0);
  }

  /** Whether putRecord can put a byte now. */
  canPutRecord(): boolean {
    return this.room() > RECORD_HEADER;
  }

  /** Put one output record for host fd `fd`: as much of `bytes` as fits (at most RECORD_MAX); how much. */
  putRecord(fd: number, bytes: Uint8Array): number {
    const n = Math.min(bytes.length, this.room() - RECORD_HEADER, RECORD_MAX);
    if (n <= 0) return 0;
    this.header[0] = (fd << 24) | n;
    this.put(n === bytes.length ? bytes : bytes.subarray(0, n), this.headerBytes);
    return n;
  }

  /**
   * Take every record there is (one consumer only), consecutive ones of one fd joined: [fd, bytes]
   * in order, the bytes in one fresh buffer from `alloc` (which need not zero it).
   */
  takeRecords(alloc: (bytes: number) => Uint8Array = (bytes) => new Uint8Array(bytes)): Array<[number, Uint8Array]> {
    let tail = Atomics.load(this.words, TAIL);
    const used = this.used();
    if (used === 0) return [];
    const out = alloc(used);
    const groups: Array<[number, Uint8Array]> = [];
    let at = 0;
    let start = 0;
    let fd = -1;
    for (let left = used; left > 0; ) {
      tail = this.copyOut(tail, this.headerBytes);
      const word = this.header[0];
      const len = word & RECORD_MAX;
      if (word >>> 24 !== fd && at > start) groups.push([fd, out.subarray(start, at)]);
      if (word >>> 24 !== fd) [fd, start] = [word >>> 24, at];
      tail = this.copyOut(tail, out.subarray(at, at + len));
      at += len;
      left -= RECORD_HEADER + len;
    }
    if (at > start) groups.push([fd, out.subarray(start, at)]);
    Atomics.store(this.words, TAIL, tail);
    this.progress('reader');
    return groups;
  }

  /** Before sleeping as `side`: say so, and return the partner's sequence to sleep on (check the condition after this). */
  prepareWait(side: RingSide): number {
    Atomics.or(this.words, FLAGS, side === 'reader' ? RING_READER_WAITS : RING_WRITER_WAITS);
    return Atomics.load(this.words, side === 'reader' ? WSEQ : RSEQ);
  }

  /** Sleep (a worker) until the partner makes progress after prepareWait returned `seq`, or `ms` pass. */
  wait(side: RingSide, seq: number, ms = Infinity): void {
    Atomics.wait(this.words, side === 'reader' ? WSEQ : RSEQ, seq, ms);
    this.awake(side);
  }

  /** wait() for a thread that must not block (a browser's main thread). */
  async waitAsync(side: RingSide, seq: number): Promise<void> {
    const w = Atomics.waitAsync(this.words, side === 'reader' ? WSEQ : RSEQ, seq);
    if (w.async) await w.value;
    this.awake(side);
  }

  /**
   * A waiter is awake again: it clears its own flag. Only the waiter ever clears it: a partner that
   * cleared it after seeing it set could do so after the waiter had set it again for its next sleep
   * (progress seen, a new wait prepared, then the partner's clear), and that sleep would never be
   * woken (the console's output stalled so, about 1 run in 10 of 50 MB through a pipe).
   */
  private awake(side: RingSide): void {
    Atomics.and(this.words, FLAGS, ~(side === 'reader' ? RING_READER_WAITS : RING_WRITER_WAITS));
  }

  /** `by` made progress: count it, and wake the partner if it sleeps (or is about to). */
  private progress(by: RingSide): void {
    const [seq, partnerWaits] = by === 'writer' ? [WSEQ, RING_READER_WAITS] : [RSEQ, RING_WRITER_WAITS];
    Atomics.add(this.words, seq, 1);
    if (this.notifyAlways || (Atomics.load(this.words, FLAGS) & partnerWaits) !== 0) Atomics.notify(this.words, seq);
  }

  /** Copy `from` into the data at position `at`, wrapping; the position after it. */
  private copyIn(at: number, from: Uint8Array): number {
    const first = this.capacity - at;
    if (from.length <= first) this.data.set(from, at);
    else {
      this.data.set(from.subarray(0, first), at);
      this.data.set(from.subarray(first), 0);
    }
    return (at + from.length) % this.capacity;
  }

  /** Copy into `to` from position `at`, wrapping; the position after it. */
  private copyOut(at: number, to: Uint8Array): number {
    const first = this.capacity - at;
    if (to.length <= first) to.set(this.data.subarray(at, at + to.length));
    else {
      to.set(this.data.subarray(at));
      to.set(this.data.subarray(0, to.length - first), first);
    }
    return (at + to.length) % this.capacity;
  }
}
