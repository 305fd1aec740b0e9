// The worker pool (host/pool.ts) with workers that are ready at once: spares are started only past
// the initial workers, a take while a worker is on its way back waits for it instead of starting
// another (a parent spawning its next child before the last one's worker is idle), a worker that is
// ended instead is replaced for the take that waited, and recycled workers past spare + 4 go.
import { describe, expect, it } from 'vitest';
import { WorkerPool } from '../../dist/host/pool.js';
import type { Platform, WorkerHandle } from '../../dist/host/platform.js';

function platform() {
  const workers: Array<WorkerHandle & { id: number; terminated: boolean }> = [];
  const p = {
    workers,
    startWorker(): WorkerHandle {
      const w = {
        id: workers.length,
        terminated: false,
        post() {},
        listen(handler: (m: { kind: 'ready' }) => void) {
          queueMicrotask(() => handler({ kind: 'ready' }));
        },
        onError() {},
        async terminate() {
          w.terminated = true;
        },
      };
      workers.push(w);
      return w;
    },
  };
  return p as typeof p & Platform;
}

describe('worker pool', () => {
  it('starts its initial workers, and spares only from the take past them', async () => {
    const p = platform();
    const pool = new WorkerPool(p, 2, 1);
    expect(p.workers).toHaveLength(1);
    await pool.take();
    expect(p.workers).toHaveLength(1);
    await pool.take();
    expect(p.workers).toHaveLength(4); // the take started one, and two spares
  });

  it('a take while a worker is leaving waits for it, and starts nothing', async () => {
    const p = platform();
    const pool = new WorkerPool(p, 0, 1);
    const first = await pool.take();
    pool.leaving();
    const next = pool.take();
    pool.returned(first);
    expect(await next).toBe(first);
    expect(p.workers).toHaveLength(1);
  });

  it('keeps `spare` workers beyond those takes wait for', async () => {
    const p = platform();
    const pool = new WorkerPool(p, 1, 1);
    await pool.take();
    pool.leaving();
    void pool.take(); // waits for the leaving one; one spare starts beside it
    expect(p.workers).toHaveLength(2);
  });

  it('a take waiting for a worker that is ended instead gets a new one', async () => {
    const p = platform();
    const pool = new WorkerPool(p, 0, 1);
    await pool.take();
    pool.leaving();
    const next = pool.take();
    expect(p.workers).toHaveLength(1);
    pool.returned(undefined);
    const w = (await next) as WorkerHandle & { id: number };
    expect(w.id).toBe(1);
  });

  it('a worker back with nobody waiting is ready for the next take; past spare + 4 waiting, the extra go', async () => {
    const p = platform();
    const pool = new WorkerPool(p, 0, 0);
    const ws = await Promise.all([1, 2, 3, 4, 5, 6].map(() => pool.take()));
    for (const w of ws) {
      pool.leaving();
      pool.returned(w);
    }
    await new Promise((r) => setTimeout(r, 0));
    expect(p.workers.filter((w) => w.terminated)).toHaveLength(2);
    expect(await pool.take()).toBe(ws[5]);
  });
});
