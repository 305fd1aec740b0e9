// Entry of every pooled worker: announce readiness, wait for one boot record, and become a task or
// the personality server. The platform adapter (host/node or host/browser) supplies the endpoint and
// the server's platform services (host directories in Node).
// Messages that arrive while the role is still starting are kept and handed to it when it listens.
import type { Endpoint, HostToWorker, WorkerToHost } from './protocol.js';
import { runTask } from './task.js';
import { runServer, type ServerServices } from './server.js';

type WorkerEndpoint = Endpoint<HostToWorker, WorkerToHost>;

/** The endpoint a role sees: what came after the boot record is queued until the role listens. */
class RoleEndpoint implements WorkerEndpoint {
  private queue: HostToWorker[] = [];
  private handler: ((m: HostToWorker) => void) | undefined;

  constructor(private port: WorkerEndpoint) {}

  post(message: WorkerToHost, transfer?: Transferable[]): void {
    this.port.post(message, transfer);
  }

  listen(handler: (m: HostToWorker) => void): void {
    this.handler = handler;
    for (const m of this.queue.splice(0)) handler(m);
  }

  deliver(m: HostToWorker): void {
    if (this.handler) this.handler(m);
    else this.queue.push(m);
  }
}

export function workerMain(port: WorkerEndpoint, services: ServerServices = {}): void {
  let role: RoleEndpoint | undefined;
  port.listen((message) => {
    if (role) return role.deliver(message);
    if (message.kind !== 'task' && message.kind !== 'server') return;
    role = new RoleEndpoint(port);
    const run = message.kind === 'task' ? runTask(message, role) : runServer(message, role, services);
    run.catch((e: unknown) => port.post({ kind: 'fault', message: e instanceof Error ? e.stack ?? e.message : String(e) }));
  });
  port.post({ kind: 'ready' });
}
