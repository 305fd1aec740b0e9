// Worker for the ipc floors: one side (ping or pong) of a JS Atomics ping-pong over the layout in
// pingpong_layout.ts. On each RunRequest it plays `iterations` round trips; ping times them with
// process.hrtime.bigint() and reports elapsed ns. No Wasm; never spins beyond `spinPolls` polls.
import { parentPort, workerData } from 'node:worker_threads';
import {
  REP_BYTE,
  REP_WAITING_BYTE,
  REQ_BYTE,
  REQ_WAITING_BYTE,
  WAIT_TIMEOUT_MS,
  wordIndex,
  type PingPongWorkerData,
  type RunDone,
  type RunRequest,
} from './pingpong_layout.js';

if (parentPort === null) throw new Error('pingpong.ts must run as a worker');
const port = parentPort;
const data = workerData as PingPongWorkerData;
const i32 = new Int32Array(data.sab);

/** One word to wait on or signal, with the flag its waiter raises (used in `spin` mode only). */
interface Channel {
  readonly word: number;
  readonly waiting: number;
}

const REQ: Channel = { word: wordIndex(REQ_BYTE), waiting: wordIndex(REQ_WAITING_BYTE) };
const REP: Channel = { word: wordIndex(REP_BYTE), waiting: wordIndex(REP_WAITING_BYTE) };

/** Atomics.wait calls since the current run started. */
let waits = 0;

function block(word: number, seen: number): void {
  waits++;
  if (Atomics.wait(i32, word, seen, WAIT_TIMEOUT_MS) === 'timed-out') {
    throw new Error(`${data.role}: peer silent for ${WAIT_TIMEOUT_MS} ms`);
  }
}

/** `bare`: block until the word equals want. */
function awaitBare(ch: Channel, want: number): void {
  for (let seen = Atomics.load(i32, ch.word); seen !== want; seen = Atomics.load(i32, ch.word)) block(ch.word, seen);
}

/** `spin`: poll up to spinPolls times, then raise the waiting flag and block. */
function awaitSpin(ch: Channel, want: number): void {
  for (let n = 0; n < data.spinPolls; n++) if (Atomics.load(i32, ch.word) === want) return;
  for (let seen = Atomics.load(i32, ch.word); seen !== want; seen = Atomics.load(i32, ch.word)) {
    Atomics.store(i32, ch.waiting, 1);
    block(ch.word, seen);
    Atomics.store(i32, ch.waiting, 0);
  }
}

function signalBare(ch: Channel, value: number): void {
  Atomics.store(i32, ch.word, value);
  Atomics.notify(i32, ch.word, 1);
}

function signalSpin(ch: Channel, value: number): void {
  Atomics.store(i32, ch.word, value);
  if (Atomics.load(i32, ch.waiting) !== 0) Atomics.notify(i32, ch.word, 1);
}

const awaitValue = data.mode === 'bare' ? awaitBare : awaitSpin;
const signal = data.mode === 'bare' ? signalBare : signalSpin;

function ping(iterations: number, base: number): number {
  const start = process.hrtime.bigint();
  for (let i = 1; i <= iterations; i++) {
    const seq = (base + i) | 0;
    signal(REQ, seq);
    awaitValue(REP, seq);
  }
  return Number(process.hrtime.bigint() - start);
}

function pong(iterations: number, base: number): number {
  for (let i = 1; i <= iterations; i++) {
    const seq = (base + i) | 0;
    awaitValue(REQ, seq);
    signal(REP, seq);
  }
  return 0;
}

const play = data.role === 'ping' ? ping : pong;

port.on('message', (msg: RunRequest) => {
  waits = 0;
  const elapsedNs = play(msg.iterations, msg.base);
  const done: RunDone = { kind: 'done', elapsedNs, waits };
  port.postMessage(done);
});
