// Worker for the ipc `postmessage` config: posts every message it receives straight back to the
// main thread (parentPort), unchanged. No timing here; the main thread times the round trips.
import { parentPort } from 'node:worker_threads';

if (parentPort === null) throw new Error('echo.ts must run as a worker');
const port = parentPort;
port.on('message', (msg: unknown) => port.postMessage(msg));
