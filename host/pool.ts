// A pool of started workers: a worker takes tens of milliseconds to start, so the host keeps a few
// ready (each has run workers/main.ts and said "ready") and hands one out when a task needs it.
import type { Platform, WorkerHandle } from './platform.js';

export class WorkerPool {
  private ready: Promise<WorkerHandle>[] = [];
  private started = new Set<WorkerHandle>();

  constructor(private platform: Platform, private spare: number) {
    this.refill();
  }

  private start(): Promise<WorkerHandle> {
    const w = this.platform.startWorker();
    this.started.add(w);
    const ready = new Promise<WorkerHandle>((resolve, reject) => {
      w.listen((m) => m.kind === 'ready' && resolve(w));
      w.onError((e) => reject(new Error(`worker failed to start: ${e}`)));
    });
    ready.catch(() => undefined); // a spare that fails is reported when someone takes it
    return ready;
  }

  private refill(): void {
    while (this.ready.length < this.spare) this.ready.push(this.start());
  }

  /** A started worker, taken from the pool (which starts a replacement). */
  take(): Promise<WorkerHandle> {
    const w = this.ready.shift() ?? this.start();
    this.refill();
    return w;
  }

  forget(w: WorkerHandle): void {
    this.started.delete(w);
  }

  async close(): Promise<void> {
    this.spare = 0;
    this.ready = [];
    await Promise.all([...this.started].map((w) => w.terminate()));
    this.started.clear();
  }
}
