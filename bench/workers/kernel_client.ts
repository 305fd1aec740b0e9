// Worker for the ipc kernel configs: the client thread. It instantiates kernel.wasm over the machine
// memory, attaches to its thread and, in colocated mode, registers the passive handler that answers
// its calls on its own stack. On each KernelRunRequest it makes `iterations` ipc_call round trips to
// capability slot 0, checks every reply (kernel_protocol.ts), times the loop with performance.now()
// and reports the elapsed ns, the errors and how often it found the server asleep before a call.
// On a KernelFloorRequest it plays the floor's ping side instead (pingpong.ts), timed the same way.
import { parentPort, workerData } from 'node:worker_threads';
import { Kernel, tagLabel } from '../../kernel-as/bindings/kernel.js';
import { PingPong } from './pingpong.js';
import {
  FLOOR_LABEL,
  SAMPLE_EVERY,
  isReply,
  isRequest,
  peerSleeps,
  sleepingIndex,
  writeBadReply,
  writeReply,
  writeRequest,
  type ClientData,
  type KernelFloorRequest,
  type KernelReady,
  type KernelRunDone,
  type KernelRunRequest,
} from './kernel_protocol.js';

if (parentPort === null) throw new Error('kernel_client.ts must run as a worker');
const port = parentPort;
const data = workerData as ClientData;
const words = data.words;

/** The passive handler of a colocated call: check request n, answer it (numbered on its own). */
function colocatedHandler(): (k: Kernel) => number {
  let n = 0;
  return (k) => {
    n++;
    if (isRequest(k, n, words)) writeReply(k, n, words);
    else writeBadReply(k);
    return 0;
  };
}

async function start(): Promise<Kernel> {
  const k = await Kernel.create(data.module, data.memory);
  const attached = k.attach(data.tid, data.workerNo);
  if (attached !== 0) throw new Error(`kernel_attach(${data.tid}) failed: error ${attached}`);
  if (data.handlerTid !== 0) {
    const r = k.setPassiveHandler(data.handlerTid, colocatedHandler());
    if (r !== 0) throw new Error(`thread_set_passive(${data.handlerTid}) failed: error ${r}`);
  }
  return k;
}

/** Calls made so far: the next call is number calls + 1. */
let calls = 0;

function play(k: Kernel, iterations: number): KernelRunDone {
  const sampleMask = SAMPLE_EVERY - 1;
  const peer = data.peerTid === 0 ? -1 : sleepingIndex(data.peerTid);
  let errors = 0;
  let firstError: string | undefined;
  let samples = 0;
  let peerAsleep = 0;
  const start = performance.now();
  for (let i = 0; i < iterations; i++) {
    const n = ++calls;
    writeRequest(k, n, words);
    if ((n & sampleMask) === 0 && peer >= 0) {
      samples++;
      if (peerSleeps(k, peer)) peerAsleep++;
    }
    const r = k.x.ipc_call(0, -1);
    if (r === 0 && isReply(k, n, words)) continue;
    errors++;
    firstError ??= `call ${n}: ipc_call returned ${r}, MR0 0x${(k.mr(0) >>> 0).toString(16)}`;
  }
  const elapsedNs = (performance.now() - start) * 1e6;
  return { kind: 'done', elapsedNs, errors, firstError, samples, peerAsleep };
}

/** A floor run: ask the server to play pong (a FLOOR_LABEL call, outside the numbering), then play ping, timed. */
function playFloor(k: Kernel, req: KernelFloorRequest): KernelRunDone {
  k.setMessage(FLOOR_LABEL, [req.mode === 'spin' ? 1 : 0, req.iterations, req.base, req.spinPolls]);
  const r = k.x.ipc_call(0, -1);
  if (r !== 0 || tagLabel(k.mr(0)) !== FLOOR_LABEL) {
    return { kind: 'done', elapsedNs: 1, errors: 1, firstError: `floor call returned ${r}`, samples: 0, peerAsleep: 0 };
  }
  const floor = new PingPong(data.pingpong, req.mode, req.spinPolls);
  const elapsedNs = floor.ping(req.iterations, req.base);
  return { kind: 'done', elapsedNs, errors: 0, samples: 0, peerAsleep: 0, waits: floor.waits };
}

start().then(
  (k) => {
    port.on('message', (msg: KernelRunRequest | KernelFloorRequest) =>
      port.postMessage(msg.kind === 'floor' ? playFloor(k, msg) : play(k, msg.iterations)),
    );
    port.postMessage({ kind: 'ready' } satisfies KernelReady);
  },
  (err: unknown) => port.postMessage({ kind: 'ready', error: String(err) } satisfies KernelReady),
);
