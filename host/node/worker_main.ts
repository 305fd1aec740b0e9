// Entry file of a Node worker: adapt parentPort and run workers/main.ts, handing it the boot record
// if the host posted one before this worker started (the server's); the server's worker alone loads
// host directory mounts (hostfs.ts), when it becomes the server. Programs the server compiles that
// fork are kept made able to in the Node cache directory (transform_store.ts).
import { parentPort, receiveMessageOnPort } from 'node:worker_threads';
import { workerMain } from '../../workers/main.js';
import type { HostToWorker } from '../../abi/service.js';
import { portEndpoint } from './endpoint.js';
import { nodeTransformStore } from './transform_store.js';
import { setTransformStore } from '../../libsystem/asyncify.js';

if (!parentPort) throw new Error('worker_main must run in a worker thread');
setTransformStore(nodeTransformStore());
const first = receiveMessageOnPort(parentPort)?.message as HostToWorker | undefined;
workerMain(portEndpoint(parentPort), async () => {
  const { HostMount } = await import('./hostfs.js');
  return { mountHost: (path, readOnly, dev, cache) => new HostMount(path, readOnly, dev, undefined, cache).root };
}, first);
