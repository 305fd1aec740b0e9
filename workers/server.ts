// The personality server's worker: attach to the server thread, then serve IPC forever with an
// event-loop-friendly receive (the kernel spins its budget, then the worker sleeps in
// Atomics.waitAsync so it still hears the host; its port listener keeps the worker's event loop
// alive, which a pending waitAsync alone does not in Node). Requests go to personality/server.ts.
// The host posts a notification after each message it sends, so a busy server still yields to
// its event loop to read them (L4: device events arrive as notifications).
import { Kernel } from '../kernel-as/bindings/kernel.js';
import { OK, E_WOULDBLOCK, TIMEOUT_ASYNC, TAG_NOTIFY } from '../kernel-as/bindings/abi.js';
import { Personality } from '../personality/server.js';
import type { Endpoint, HostToWorker, ServerBoot, WorkerToHost } from './protocol.js';

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

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

export async function runServer(boot: ServerBoot, endpoint: Endpoint<HostToWorker, WorkerToHost>): Promise<void> {
  const k = await Kernel.create(boot.kernel, boot.memory);
  if (k.attach(boot.tid, boot.worker, true) !== OK) throw new Error('server cannot attach');
  k.setBuffer(boot.rcvBuf, boot.rcvLen);
  const server = new Personality(k, {
    console: (fd, data) => endpoint.post({ kind: 'console', fd, data }, [data.buffer]),
    exited: (task, status) => endpoint.post({ kind: 'exit', task, status }),
  });
  endpoint.listen((m) => {
    if (m.kind !== 'process') return;
    server.addProcess(m.task, m.pid, m.name);
    endpoint.post({ kind: 'process-ready', task: m.task });
  });
  let replyTo = 0;
  for (;;) {
    let r = k.x.ipc_reply_wait(replyTo, TIMEOUT_ASYNC);
    while (r === E_WOULDBLOCK) r = await receiveAsync(k);
    replyTo = 0;
    if (r !== OK) continue; // the reply failed (caller gone): just receive again
    if ((k.mr(0) & TAG_NOTIFY) !== 0) await yieldToEventLoop();
    else replyTo = server.handle();
  }
}
