// Node adapters: a worker_threads Worker as a WorkerHandle (host side) and a parentPort as an Endpoint
// (worker side). The only place worker_threads is named.
import { Worker, type MessagePort } from 'node:worker_threads';
import type { Endpoint, HostToWorker, WorkerToHost } from '../../abi/service.js';
import type { WorkerHandle } from '../platform.js';

export function nodeWorker(url: URL): WorkerHandle {
  const w = new Worker(url);
  return {
    post: (m, transfer) => w.postMessage(m, transfer as never),
    listen: (h) => void w.on('message', h),
    onError: (h) => void w.once('error', (e) => h(e instanceof Error ? e.message : String(e))),
    terminate: async () => void (await w.terminate()),
  };
}

export function portEndpoint(port: MessagePort): Endpoint<HostToWorker, WorkerToHost> {
  return {
    post: (m, transfer) => port.postMessage(m, transfer as never),
    listen: (h) => void port.on('message', h),
  };
}
