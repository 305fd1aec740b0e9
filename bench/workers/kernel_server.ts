// Worker for the ipc kernel configs: the server thread of a cross-worker call. It attaches to its
// thread, reports ready, then answers calls forever in an ipc_reply_wait loop (blocking in the
// kernel between calls, so its event loop never runs again; the main thread terminates it). Each
// request is checked (kernel_protocol.ts); a wrong one is counted and answered with a bad reply. One
// call in SAMPLE_EVERY samples whether the client sleeps in the kernel just before the reply.
// Counters go to the SERVER_STATS buffer with Atomics.store. A FLOOR_LABEL request makes it play the
// pong side of the floor's JS ping-pong (pingpong.ts) between two receives.
import { parentPort, workerData } from 'node:worker_threads';
import { ANY } from '../../kernel-as/bindings/abi.js';
import { Kernel, tagLabel } from '../../kernel-as/bindings/kernel.js';
import { PingPong } from './pingpong.js';
import {
  FLOOR_LABEL,
  SAMPLE_EVERY,
  SERVER_STATS,
  isRequest,
  peerSleeps,
  sleepingIndex,
  writeBadReply,
  writeReply,
  type KernelReady,
  type ServerData,
} from './kernel_protocol.js';

if (parentPort === null) throw new Error('kernel_server.ts must run as a worker');
const port = parentPort;
const data = workerData as ServerData;
const words = data.words;
const stats = new Int32Array(data.stats);

async function start(): Promise<Kernel> {
  const k = await Kernel.create(data.module, data.memory);
  const attached = k.attach(data.tid, data.workerNo);
  if (attached !== 0) throw new Error(`kernel_attach(${data.tid}) failed: error ${attached}`);
  return k;
}

/** Answer calls forever. `r` is the last ipc_reply_wait result; after a failure, only receive. */
function serve(k: Kernel): never {
  const sampleMask = SAMPLE_EVERY - 1;
  const peer = sleepingIndex(data.peerTid);
  let samples = 0;
  let peerAsleep = 0;
  let errors = 0;
  let n = 0;
  let r = k.x.ipc_reply_wait(0, -1);
  for (;;) {
    if (r === 0 && tagLabel(k.mr(0)) === FLOOR_LABEL) {
      r = playFloor(k);
      continue;
    }
    n++;
    const ok = r === 0 && isRequest(k, n, words);
    if (ok) writeReply(k, n, words);
    else {
      writeBadReply(k);
      Atomics.store(stats, SERVER_STATS.errors, ++errors);
    }
    if ((n & sampleMask) === 0) {
      if (peerSleeps(k, peer)) Atomics.store(stats, SERVER_STATS.peerAsleep, ++peerAsleep);
      Atomics.store(stats, SERVER_STATS.samples, ++samples);
    }
    r = k.x.ipc_reply_wait(r === 0 ? k.sender : 0, -1);
  }
}

/** Answer a FLOOR_LABEL request, play the floor's pong side, then receive the next request. */
function playFloor(k: Kernel): number {
  const mode = k.mr(1) === 1 ? 'spin' : 'bare';
  const [iterations, base, spinPolls] = [k.mr(2), k.mr(3), k.mr(4)];
  k.setMessage(FLOOR_LABEL, []);
  k.x.ipc_reply(k.sender);
  const floor = new PingPong(data.pingpong, mode, spinPolls);
  floor.pong(iterations, base, () => Atomics.store(stats, SERVER_STATS.floorWaits, floor.waits));
  return k.x.ipc_receive(ANY, -1);
}

start().then(
  (k) => {
    port.postMessage({ kind: 'ready' } satisfies KernelReady);
    setImmediate(() => serve(k));
  },
  (err: unknown) => port.postMessage({ kind: 'ready', error: String(err) } satisfies KernelReady),
);
