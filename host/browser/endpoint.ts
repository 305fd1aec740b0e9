// Browser adapters: a Web Worker as a WorkerHandle (page side) and a worker's global scope as an
// Endpoint (worker side). The only place Worker and the worker scope are named in browser code.
import type { Endpoint, HostToWorker, WorkerToHost } from '../../abi/service.js';
import type { WorkerHandle } from '../platform.js';

export function webWorker(url: URL): WorkerHandle {
  const w = new Worker(url, { type: 'module' });
  return {
    post: (m, transfer) => w.postMessage(m, transfer ?? []),
    listen: (h) => w.addEventListener('message', (e: MessageEvent<WorkerToHost>) => h(e.data)),
    onError: (h) => w.addEventListener('error', (e) => h(e.message || 'worker error'), { once: true }),
    terminate: async () => w.terminate(),
  };
}

/** The part of a dedicated worker's global scope the endpoint needs. */
interface WorkerScope {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', handler: (e: MessageEvent<HostToWorker>) => void): void;
}

export function scopeEndpoint(scope: WorkerScope): Endpoint<HostToWorker, WorkerToHost> {
  return {
    post: (m, transfer) => scope.postMessage(m, transfer ?? []),
    listen: (h) => scope.addEventListener('message', (e) => h(e.data)),
  };
}
