// Entry file of a Node worker: adapt parentPort and run workers/main.ts.
import { parentPort } from 'node:worker_threads';
import { workerMain } from '../../workers/main.js';
import { portEndpoint } from './endpoint.js';

if (!parentPort) throw new Error('worker_main must run in a worker thread');
workerMain(portEndpoint(parentPort));
