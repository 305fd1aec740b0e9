// Entry file of a Node worker: adapt parentPort and run workers/main.ts, with host directory mounts.
import { parentPort } from 'node:worker_threads';
import { workerMain } from '../../workers/main.js';
import { portEndpoint } from './endpoint.js';
import { HostMount } from './hostfs.js';

if (!parentPort) throw new Error('worker_main must run in a worker thread');
workerMain(portEndpoint(parentPort), { mountHost: (path, readOnly, dev) => new HostMount(path, readOnly, dev).root });
