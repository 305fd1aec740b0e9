// The personality server's worker: attach to the server thread, then serve IPC forever with an
// event-loop-friendly receive (the kernel spins its budget, then the worker sleeps in
// Atomics.waitAsync so it still hears the host; its port listener keeps the worker's event loop
// alive, which a pending waitAsync alone does not in Node). Requests go to personality/server.ts.
// Host messages and timers arrive as notifications: the loop then yields to its event loop (so the
// messages are read) and answers the parked calls that can now complete (L4: events as interrupts).
// A call that wakes parked calls itself (a message to a port a receiver waits on) is answered first,
// then the woken calls are tried at once, without the round trip through the event loop.
import { Kernel } from '../kernel-as/bindings/kernel.js';
import { OK, E_WOULDBLOCK, TIMEOUT_ASYNC, TAG_NOTIFY } from '../kernel-as/bindings/abi.js';
import { Personality } from '../personality/server.js';
import type { HostMounter } from '../personality/vfs/vfs.js';
import { SERVER_SELF_CAP, HOST_EVENT, WAKE_EVENT, type ServerBoot } from '../abi/boot.js';
import type { Endpoint, HostToWorker, ServerToHost, WorkerToHost } from '../abi/service.js';

/** What the platform adapter gives the server beyond the protocol (host directories in Node). */
export interface ServerServices {
  mountHost?: HostMounter;
}

/** Wait (without blocking the event loop) until the armed receive completes; its result. */
async function receiveAsync(k: Kernel): Promise<number> {
  const seq = k.x.ipc_sleep_prepare();
  let r = k.x.ipc_poll();
  if (r === E_WOULDBLOCK) {
    const w = Atomics.waitAsync(k.view(), k.futexIndex(k.current), seq);
    if (w.async) await w.value;
    r = k.x.ipc_poll();
  }
  k.x.ipc_sleep_done();
  return r;
}

/**
 * Let the event loop deliver the host's messages. Node's setImmediate runs right after the pending
 * messages; setTimeout(0), all a browser worker has, waits at least a millisecond there.
 */
const later: (f: () => void) => void =
  typeof globalThis.setImmediate === 'function' ? (f) => globalThis.setImmediate(f) : (f) => setTimeout(f, 0);

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => later(resolve));
}

/** Bytes of output held before they are sent even while the server stays busy. */
const OUTPUT_BATCH = 64 * 1024;
/** How long output may wait while the server stays busy with other calls (ms). */
const OUTPUT_DELAY_MS = 5;

type Outgoing = { kind: 'console'; fd: number; parts: Uint8Array[]; bytes: number } | { kind: 'trace'; line: string };

/**
 * Everything the server tells the host, in order: program output and trace lines are held briefly,
 * every other message goes at once, after what is held. Consecutive writes to one descriptor travel
 * as one message, sent when the server is about to wait, the batch is full, the oldest has waited
 * OUTPUT_DELAY_MS, or another message follows, so a program writing in small pieces costs one
 * postMessage per burst, not one per write, and output still shows while a program keeps the
 * server busy. (A process's end is reported after its worker is gone, so after its last trace line.)
 */
class OutputQueue {
  private queue: Outgoing[] = [];
  private bytes = 0;
  /** performance.now() when the oldest queued item was queued. */
  private since = 0;

  constructor(private endpoint: Endpoint<HostToWorker, WorkerToHost>) {}

  /** Send what has waited OUTPUT_DELAY_MS, so output from a program busy with other calls still shows. */
  flushStale(): void {
    if (this.queue.length && performance.now() - this.since > OUTPUT_DELAY_MS) this.flush();
  }

  /** A message other than output: after what is held. */
  post(m: ServerToHost): void {
    this.flush();
    this.endpoint.post(m);
  }

  private queued(): void {
    if (this.queue.length === 1) this.since = performance.now();
  }

  console(fd: number, data: Uint8Array): void {
    const last = this.queue[this.queue.length - 1];
    if (last?.kind === 'console' && last.fd === fd) {
      last.parts.push(data);
      last.bytes += data.length;
    } else {
      this.queue.push({ kind: 'console', fd, parts: [data], bytes: data.length });
      this.queued();
    }
    this.bytes += data.length;
    if (this.bytes >= OUTPUT_BATCH) this.flush();
  }

  trace(line: string): void {
    this.queue.push({ kind: 'trace', line });
    this.queued();
  }

  flush(): void {
    for (const m of this.queue.splice(0)) {
      if (m.kind === 'trace') this.endpoint.post(m);
      else {
        const data = m.parts.length === 1 ? m.parts[0] : concat(m.parts, m.bytes);
        this.endpoint.post({ kind: 'console', fd: m.fd, data }, [data.buffer]);
      }
    }
    this.bytes = 0;
  }
}

function concat(parts: Uint8Array[], bytes: number): Uint8Array {
  const out = new Uint8Array(bytes);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function startPersonality(k: Kernel, boot: ServerBoot, endpoint: Endpoint<HostToWorker, WorkerToHost>, services: ServerServices, output: OutputQueue): Personality {
  const server = new Personality(k, {
    console: (fd, data) => output.console(fd, data),
    trace: (line) => output.trace(line),
    wake: () => k.x.notify_post(SERVER_SELF_CAP, WAKE_EVENT),
    startWorker: (task) => output.post({ kind: 'worker-start', boot: task }),
    stopWorker: (worker) => output.post({ kind: 'worker-stop', worker }),
    execWorker: (worker, program) => output.post({ kind: 'worker-exec', worker, program }),
    forkWorker: (boot) => output.post({ kind: 'worker-fork', boot }),
    spawned: (request, pid, error) => output.post({ kind: 'spawned', request, pid, error }),
    exited: (request, status) => output.post({ kind: 'exit', request, status }),
    mountHost: services.mountHost,
  }, boot);
  endpoint.listen((m) => {
    // Whatever the host says may complete a parked call: a message can be handled after the loop's
    // own retry for the notification that announced it, so each one wakes the loop again.
    k.x.notify_post(SERVER_SELF_CAP, WAKE_EVENT);
    if (m.kind === 'output') server.consoleOutput(m.fd, m.state);
    else if (m.kind === 'worker-gone') server.pm.workerGone(m.worker, m.fault);
    else if (m.kind === 'spawn') server.spawnForHost(m);
    else if (m.kind === 'end-all') server.endAll();
    else if (m.kind === 'winsize') server.resize(m.rows, m.cols);
    else if (m.kind === 'census') output.post({ kind: 'census', request: m.request, processes: server.procs.size, frames: server.framesInUse, ...server.mach.census() });
  });
  return server;
}

export async function runServer(boot: ServerBoot, endpoint: Endpoint<HostToWorker, WorkerToHost>, services: ServerServices = {}): Promise<void> {
  const k = await Kernel.create(boot.kernel, boot.memory);
  if (k.attach(boot.tid, boot.worker, true) !== OK) throw new Error('server cannot attach');
  const output = new OutputQueue(endpoint);
  const server = startPersonality(k, boot, endpoint, services, output);
  let replyTo = 0;
  for (;;) {
    let r = k.x.ipc_reply_wait(replyTo, TIMEOUT_ASYNC);
    if (r === E_WOULDBLOCK) output.flush(); // nobody is calling: send what was written
    while (r === E_WOULDBLOCK) r = await receiveAsync(k);
    replyTo = 0;
    if (r !== OK) continue; // the reply failed (caller gone): just receive again
    if ((k.mr(0) & TAG_NOTIFY) !== 0) {
      if ((k.mr(1) & HOST_EVENT) !== 0) server.consoleEvent();
      output.flush();
      await yieldToEventLoop();
      server.runWakeups();
      output.flushStale();
    } else {
      replyTo = server.handle();
      if (server.wakeupsPending) {
        // the call woke parked calls (a message for a waiting receiver): answer it, then them, now
        if (replyTo !== 0) k.x.ipc_reply(replyTo);
        replyTo = 0;
        server.runWakeups();
      }
      output.flushStale();
    }
  }
}
