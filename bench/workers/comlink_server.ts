// Worker for the ipc `comlink` config: exposes a trivial echo function to the main thread through
// comlink's Node adapter over parentPort. No timing here; the main thread times the calls.
import { expose } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { parentPort } from 'node:worker_threads';

/** The API the main thread wraps. */
export interface EchoApi {
  echo(x: number): number;
}

if (parentPort === null) throw new Error('comlink_server.ts must run as a worker');
const api: EchoApi = { echo: (x) => x };
expose(api, nodeEndpoint(parentPort));
