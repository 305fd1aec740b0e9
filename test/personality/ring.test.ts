// The console's ring (abi/ring.ts): bytes and records in order across the wrap,
// never more than it holds, consumers that share it, the flags; then across real threads, a writer
// and a reader that each sleep on the other (Atomics.wait in a worker, waitAsync on the main thread).
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { Ring, RING_CLOSED, RING_READER_WAITS, RING_WANT, RING_WRITER_WAITS, ringBroken } from '../../dist/abi/ring.js';

const HEADER = 64;

function ring(capacity: number): Ring {
  return new Ring(new SharedArrayBuffer(HEADER + capacity), 0, HEADER + capacity);
}

/** Bytes 0, 1, 2, ... from `from`, mod 251 (a prime, so a misplaced chunk shows). */
function pattern(from: number, length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (from + i) % 251);
}

describe('ring', () => {
  it('keeps bytes in order across the wrap and holds one byte less than its capacity', () => {
    const r = ring(100);
    let written = 0;
    let read = 0;
    for (const size of [60, 30, 70, 99, 1, 45]) {
      expect(r.room()).toBe(99 - r.used());
      const n = Math.min(size, r.room());
      r.put(pattern(written, n));
      written += n;
      const into = new Uint8Array(size);
      const got = r.take(into);
      expect(into.subarray(0, got)).toEqual(pattern(read, got));
      read += got;
    }
    expect(read).toBe(written);
    expect(r.used()).toBe(0);
  });

  it('carries records: consecutive ones of one fd joined, fds in the order written, as much as fits', () => {
    const r = ring(64);
    expect(r.putRecord(1, pattern(0, 10))).toBe(10);
    expect(r.putRecord(1, pattern(10, 5))).toBe(5);
    expect(r.putRecord(2, pattern(0, 3))).toBe(3);
    expect(r.putRecord(1, pattern(15, 100))).toBe(63 - (4 + 10) - (4 + 5) - (4 + 3) - 4);
    expect(r.canPutRecord()).toBe(false);
    expect(r.putRecord(1, pattern(0, 1))).toBe(0);
    const groups = r.takeRecords();
    expect(groups.map(([fd, b]) => [fd, b.length])).toEqual([[1, 15], [2, 3], [1, 29]]);
    expect(groups[0][1]).toEqual(pattern(0, 15));
    expect(groups[2][1]).toEqual(pattern(15, 29));
    expect(r.putRecord(2, pattern(0, 40))).toBe(40); // across the wrap now
    expect(r.takeRecords()).toEqual([[2, pattern(0, 40)]]);
    expect(r.takeRecords()).toEqual([]);
  });

  it('lets several consumers take: each byte goes to exactly one', () => {
    const buffer = new SharedArrayBuffer(HEADER + 256);
    const [a, b] = [new Ring(buffer, 0, buffer.byteLength), new Ring(buffer, 0, buffer.byteLength)];
    a.put(pattern(0, 200));
    const first = new Uint8Array(70);
    const second = new Uint8Array(200);
    expect(a.take(first)).toBe(70);
    expect(b.take(second)).toBe(130);
    expect([...first, ...second.subarray(0, 130)]).toEqual([...pattern(0, 200)]);
  });

  it('keeps flags apart and reports them to the other side', () => {
    const r = ring(32);
    r.signal('reader', RING_WANT | ringBroken(2));
    expect(r.flags() & (RING_WANT | ringBroken(1) | ringBroken(2) | RING_CLOSED)).toBe(RING_WANT | ringBroken(2));
    r.clearFlags(RING_WANT);
    expect(r.flags() & RING_WANT).toBe(0);
  });

  it('leaves a waiter\'s flag to the waiter: the partner\'s progress wakes it but never clears it', () => {
    // A partner that cleared it could do so after the waiter had set it again for its next sleep,
    // which then was never woken (the console's output stalled so, about 1 run in 10 of 50 MB).
    const r = ring(64);
    const seq = r.prepareWait('reader');
    r.put(pattern(0, 10));
    expect(r.flags() & RING_READER_WAITS).toBe(RING_READER_WAITS);
    r.wait('reader', seq); // the sequence moved on: returns at once
    expect(r.flags() & RING_READER_WAITS).toBe(0);
    const seq2 = r.prepareWait('writer');
    r.take(new Uint8Array(10));
    expect(r.flags() & RING_WRITER_WAITS).toBe(RING_WRITER_WAITS);
    r.wait('writer', seq2);
    expect(r.flags() & RING_WRITER_WAITS).toBe(0);
  });
});

/** A worker at the other end of the ring (fixtures/ring_worker.mjs); what it reports. */
function start(role: 'writer' | 'reader', buffer: SharedArrayBuffer, total: number): Promise<unknown> {
  const worker = new Worker(new URL('./fixtures/ring_worker.mjs', import.meta.url), { workerData: { role, buffer, total } });
  return new Promise((resolve, reject) => {
    worker.once('message', (m) => void worker.terminate().then(() => resolve(m)));
    worker.once('error', reject);
  });
}

describe('ring across threads', () => {
  const TOTAL = 4_000_000;

  it('moves a worker\'s records to a main thread that sleeps with waitAsync, in order, the writer sleeping while it is full', async () => {
    const buffer = new SharedArrayBuffer(HEADER + 16384);
    const r = new Ring(buffer, 0, buffer.byteLength);
    const writer = start('writer', buffer, TOTAL);
    const got = new Uint8Array(TOTAL);
    let at = 0;
    // Read nothing until the writer has filled the ring and sleeps on it, so it sleeps at least once
    // however the two threads are scheduled (on a busy machine a slow writer could otherwise never fill it).
    while ((r.flags() & RING_WRITER_WAITS) === 0) await new Promise((resolve) => setImmediate(resolve));
    while (at < TOTAL) {
      const seq = r.prepareWait('reader');
      if (r.used() === 0) await r.waitAsync('reader', seq);
      for (const [, bytes] of r.takeRecords()) {
        got.set(bytes, at);
        at += bytes.length;
      }
      await new Promise((resolve) => setImmediate(resolve)); // a slow reader: the writer fills the ring
    }
    expect(Buffer.from(got).equals(pattern(0, TOTAL))).toBe(true); // (toEqual walks 4 MB for a minute)
    expect(await writer).toBeGreaterThan(0);
  });

  it('moves bytes from a main thread to a worker that sleeps when the ring is empty', async () => {
    const buffer = new SharedArrayBuffer(HEADER + 16384);
    const r = new Ring(buffer, 0, buffer.byteLength);
    const reader = start('reader', buffer, TOTAL);
    for (let at = 0; at < TOTAL; ) {
      const seq = r.prepareWait('writer');
      if (r.room() === 0) await r.waitAsync('writer', seq);
      const n = Math.min(r.room(), 10_000, TOTAL - at);
      r.put(pattern(at, n));
      at += n;
      if (at % 3 === 0) await new Promise((resolve) => setTimeout(resolve, 1)); // now and then the reader finds it empty
    }
    expect(await reader).toBe(true);
  });
});
