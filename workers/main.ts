// Entry of every worker (the server's and the pool's): announce readiness, wait for a boot record, and become a task or
// the personality server. A task worker whose program has returned ('done') takes the next task's
// boot record (the host recycles idle workers into its pool). The platform adapter (host/node or host/browser) supplies the endpoint and
// the server's platform services (host directories in Node).
// Messages that arrive while the role is still starting are kept and handed to it when it listens.
// A worker loads only its role's code: the server's (the personality, host directories) when its
// boot record comes; a task's at once, before its boot record, unless the adapter saw the server's
// boot record waiting at start (a task worker is taken from the pool only once a program is
// registered, tens of milliseconds later).
import type { ServerBoot, TaskBoot } from '../abi/boot.js';
import type { Endpoint, HostToWorker, WorkerToHost } from '../abi/service.js';
import type { ServerServices } from './server.js';

type TaskModule = typeof import('./task.js');

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

/** Start the role a boot record names, loading its code (the task's may be loading already). */
async function startRole(message: TaskBoot | ServerBoot, role: RoleEndpoint, task: () => Promise<TaskModule>, services: () => Promise<ServerServices>): Promise<void> {
  if (message.kind === 'task') return (await task()).runTask(message, role);
  const [{ runServer }, given] = await Promise.all([import('./server.js'), services()]);
  return runServer(message, role, given);
}

/**
 * Run this worker. `services` loads what the server needs from the platform (called only in the
 * server's worker). `first`: a message the adapter found already waiting when the worker started
 * (the host posts the server's boot record as soon as it creates its worker); without a boot record
 * there, this worker will most likely be a task, and loads the task's code at once.
 */
export function workerMain(port: WorkerEndpoint, services: () => Promise<ServerServices> = async () => ({}), first?: HostToWorker): void {
  let loading: Promise<TaskModule> | undefined;
  const task = (): Promise<TaskModule> => (loading ??= import('./task.js'));
  if (first?.kind !== 'server') task().catch(() => undefined); // a failure is reported by the role that needs it
  let role: RoleEndpoint | undefined;
  const receive = (message: HostToWorker): void => {
    if (role) return role.deliver(message);
    if (message.kind !== 'task' && message.kind !== 'server') return;
    role = new RoleEndpoint(port);
    startRole(message, role, task, services).then(
      // a task whose program returned leaves the worker idle (it said 'done'): it may run the next task
      () => void (message.kind === 'task' && (role = undefined)),
      (e: unknown) => port.post({ kind: 'fault', message: e instanceof Error ? e.stack ?? e.message : String(e) }),
    );
  };
  if (first !== undefined) receive(first);
  port.listen(receive);
  port.post({ kind: 'ready' });
}
