// A pool of started workers for programs: a worker takes tens of milliseconds to start, so the host
// keeps a few ready (each has run workers/main.ts, said "ready" and loaded the task's code) and
// hands one out when a task needs it. The first `initial` workers start at once; replacements start
// only from the take after those on: a machine that runs one program, as `webmach run` does, never
// starts a worker it will not use (on a 2-core machine, a worker starting during the run and torn
// down at exit delays both); one that runs more pays one worker start for its second program and
// then finds `spare` workers ready. A worker whose program ended by itself is idle again and comes
// back to the pool (recycle), so a machine spawning short programs one after another reuses them. A
// worker on its way back (its task ended, its program not yet unwound) counts as one to come: a
// take with no started worker at hand waits for it rather than for a worker still starting, or
// starts one (a parent hears of its child's end before the child's worker is idle, and spawns the
// next one meanwhile: that worker is back in well under a millisecond, a new one takes tens).
import type { Platform, WorkerHandle } from './platform.js';

/** Idle workers kept beyond the spares (each costs a Node worker's memory; starting one costs 30-60 ms). */
const KEPT_BACK = 4;

/** A worker of the pool: `up` once it has said it is ready. */
interface Entry {
  worker: Promise<WorkerHandle>;
  up: boolean;
}

export class WorkerPool {
  private ready: Entry[] = [];
  private started = new Set<WorkerHandle>();
  private taken = 0;
  /** Workers on their way back, and the takes waiting for them. */
  private returning = 0;
  private waiting: Array<(w: WorkerHandle | Promise<WorkerHandle>) => void> = [];

  constructor(private platform: Platform, private spare: number, private initial = spare) {
    while (this.ready.length < initial) this.ready.push(this.start());
  }

  private start(): Entry {
    const w = this.platform.startWorker();
    this.started.add(w);
    const entry: Entry = {
      worker: new Promise<WorkerHandle>((resolve, reject) => {
        w.listen((m) => m.kind === 'ready' && resolve(w));
        w.onError((e) => reject(new Error(`worker failed to start: ${e}`)));
      }),
      up: false,
    };
    entry.worker.then(() => (entry.up = true), () => undefined); // a spare that fails is reported when someone takes it
    return entry;
  }

  /** A started worker, taken from the pool (which starts a replacement once past its initial workers). */
  take(): Promise<WorkerHandle> {
    const up = this.ready.findIndex((e) => e.up);
    let w: Promise<WorkerHandle>;
    if (up >= 0) w = this.ready.splice(up, 1)[0].worker;
    else if (this.waiting.length < this.returning) w = new Promise<WorkerHandle>((give) => this.waiting.push(give));
    else w = (this.ready.shift() ?? this.start()).worker;
    if (++this.taken > this.initial) {
      while (this.ready.length + this.returning - this.waiting.length < this.spare) this.ready.push(this.start());
    }
    return w;
  }

  /** A worker's task has ended: it may come back (see returned). */
  leaving(): void {
    this.returning++;
  }

  /** A worker that was leaving is idle again (recycled), or was ended (undefined): a take waiting for it gets it, or a new one. */
  returned(w: WorkerHandle | undefined): void {
    this.returning--;
    if (w) {
      const give = this.waiting.shift();
      if (give) give(w);
      else this.recycle(w);
    } else if (this.waiting.length > this.returning) this.waiting.shift()!(this.start().worker);
  }

  forget(w: WorkerHandle): void {
    this.started.delete(w);
  }

  /**
   * A worker whose task is over and which is idle again: first in line for the next task (it is
   * ready now, where a spare may still be starting); past `spare` + KEPT_BACK waiting, the last one
   * goes (a program ending with its children hands back several at once, and the next run needs them).
   */
  private recycle(w: WorkerHandle): void {
    this.ready.unshift({ worker: Promise.resolve(w), up: true });
    while (this.ready.length > this.spare + KEPT_BACK) {
      void this.ready.pop()!.worker.then((extra) => {
        this.forget(extra);
        return extra.terminate();
      }, () => undefined);
    }
  }

  async close(): Promise<void> {
    this.spare = 0;
    this.ready = [];
    await Promise.all([...this.started].map((w) => w.terminate()));
    this.started.clear();
  }
}
