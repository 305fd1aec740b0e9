// The ipc floors' JS Atomics ping-pong over the layout in pingpong_layout.ts, played by the two
// workers of a kernel pair between kernel calls (kernel_client.ts plays ping and times it,
// kernel_server.ts plays pong), so that each floor is measured on the very threads, and in the very
// placement, of the kernel configuration it is compared with. No Wasm; never spins beyond
// `spinPolls` polls; a peer silent for WAIT_TIMEOUT_MS fails the run instead of hanging it.
import {
  REP_BYTE,
  REP_WAITING_BYTE,
  REQ_BYTE,
  REQ_WAITING_BYTE,
  WAIT_TIMEOUT_MS,
  wordIndex,
  type PingPongMode,
} from './pingpong_layout.js';

/** One word to wait on or signal, with the flag its waiter raises (used in `spin` mode only). */
interface Channel {
  readonly word: number;
  readonly waiting: number;
}

const REQ: Channel = { word: wordIndex(REQ_BYTE), waiting: wordIndex(REQ_WAITING_BYTE) };
const REP: Channel = { word: wordIndex(REP_BYTE), waiting: wordIndex(REP_WAITING_BYTE) };

/** One side's view of a ping-pong buffer; `waits` counts its Atomics.wait calls since the last play. */
export class PingPong {
  waits = 0;
  private readonly i32: Int32Array;

  constructor(sab: SharedArrayBuffer, private readonly mode: PingPongMode, private readonly spinPolls: number) {
    this.i32 = new Int32Array(sab);
  }

  /** Ping side: `iterations` round trips numbered from base + 1; the elapsed ns. */
  ping(iterations: number, base: number): number {
    this.waits = 0;
    const start = performance.now();
    for (let i = 1; i <= iterations; i++) {
      const seq = (base + i) | 0;
      this.signal(REQ, seq);
      this.await(REP, seq);
    }
    return (performance.now() - start) * 1e6;
  }

  /** Pong side of the same round trips; `beforeLast` runs just before the last answer (to publish counters). */
  pong(iterations: number, base: number, beforeLast: () => void): void {
    this.waits = 0;
    for (let i = 1; i <= iterations; i++) {
      const seq = (base + i) | 0;
      this.await(REQ, seq);
      if (i === iterations) beforeLast();
      this.signal(REP, seq);
    }
  }

  private block(word: number, seen: number): void {
    this.waits++;
    if (Atomics.wait(this.i32, word, seen, WAIT_TIMEOUT_MS) === 'timed-out') {
      throw new Error(`ping-pong peer silent for ${WAIT_TIMEOUT_MS} ms`);
    }
  }

  /** `bare`: block until the word equals want. `spin`: poll up to spinPolls times first, then raise the waiting flag and block. */
  private await(ch: Channel, want: number): void {
    const a = this.i32;
    if (this.mode === 'spin') {
      for (let n = 0; n < this.spinPolls; n++) if (Atomics.load(a, ch.word) === want) return;
    }
    for (let seen = Atomics.load(a, ch.word); seen !== want; seen = Atomics.load(a, ch.word)) {
      if (this.mode === 'spin') Atomics.store(a, ch.waiting, 1);
      this.block(ch.word, seen);
      if (this.mode === 'spin') Atomics.store(a, ch.waiting, 0);
    }
  }

  /** `bare`: store and always notify. `spin`: store, and notify only a waiter that raised its flag. */
  private signal(ch: Channel, value: number): void {
    Atomics.store(this.i32, ch.word, value);
    if (this.mode === 'bare' || Atomics.load(this.i32, ch.waiting) !== 0) Atomics.notify(this.i32, ch.word, 1);
  }
}
