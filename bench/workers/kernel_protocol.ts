// The message protocol, worker data and messages of the ipc experiment's kernel configs, shared by
// bench/ipc_kernel.ts (main thread) and the workers kernel_client.ts and kernel_server.ts. Call n
// (1-based, counted by both sides) carries label n mod 2^14 and `words` words derived from n; the
// reply sets bit 14 of the label and complements every word, so each side can check that the other
// really received and answered this very call (a skipped or partial copy fails the check).
// A leaf module apart from the kernel binding: no side effects, no import of ../ipc.js.
import { tag, tcbOf, type Kernel } from '../../kernel-as/bindings/kernel.js';
import { TCB_SLEEPING } from '../../kernel-as/bindings/abi.js';
import type { PingPongMode } from './pingpong_layout.js';

const LABEL_MASK = 0x3fff;
const REPLY_BIT = 0x4000;
/** The label a server answers a request it found wrong with; never a valid reply label. */
const BAD_LABEL = 0x7fff;
/**
 * The label of a request outside the numbering: play the floor's ping-pong (MR1 = 1 for `spin`
 * mode, 0 for `bare`; MR2 = round trips; MR3 = base sequence; MR4 = spin polls), then receive again.
 */
export const FLOOR_LABEL = 0x7ffe;

/** One round trip in SAMPLE_EVERY samples whether the peer sleeps in the kernel (see peerSleeps). */
export const SAMPLE_EVERY = 16;

/** Word i (1-based) of request n; the reply carries its complement. */
export function requestWord(n: number, i: number): number {
  return (Math.imul(n, 65) + i) | 0;
}

export function requestTag(n: number, words: number): number {
  return tag(n & LABEL_MASK, words);
}

export function replyTag(n: number, words: number): number {
  return tag((n & LABEL_MASK) | REPLY_BIT, words);
}

/** Write request n into the current thread's MR0..MRwords. */
export function writeRequest(k: Kernel, n: number, words: number): void {
  k.setMr(0, requestTag(n, words));
  for (let i = 1; i <= words; i++) k.setMr(i, requestWord(n, i));
}

/** Is the current thread's received message exactly request n? */
export function isRequest(k: Kernel, n: number, words: number): boolean {
  if (k.mr(0) !== requestTag(n, words)) return false;
  for (let i = 1; i <= words; i++) if (k.mr(i) !== requestWord(n, i)) return false;
  return true;
}

/** Write the reply to request n. */
export function writeReply(k: Kernel, n: number, words: number): void {
  k.setMr(0, replyTag(n, words));
  for (let i = 1; i <= words; i++) k.setMr(i, ~requestWord(n, i));
}

/** A reply no client accepts: what a server sends back for a request it found wrong. */
export function writeBadReply(k: Kernel): void {
  k.setMr(0, tag(BAD_LABEL, 0));
}

export function isReply(k: Kernel, n: number, words: number): boolean {
  if (k.mr(0) !== replyTag(n, words)) return false;
  for (let i = 1; i <= words; i++) if (k.mr(i) !== ~requestWord(n, i)) return false;
  return true;
}

/** Int32Array index of thread `tid`'s TCB.SLEEPING word (1 while it waits in memory.atomic.wait32). */
export function sleepingIndex(tid: number): number {
  return (tcbOf(tid) + TCB_SLEEPING) >> 2;
}

/** Is the thread whose SLEEPING word is at `index` asleep in the kernel right now? One Atomics.load. */
export function peerSleeps(k: Kernel, index: number): boolean {
  return Atomics.load(k.view(), index) !== 0;
}

// ---- worker data and messages ----

interface KernelWorkerBase {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  /** The pair's floor ping-pong buffer (pingpong_layout.ts). */
  readonly pingpong: SharedArrayBuffer;
  /** The thread this worker runs, and its worker number for kernel_attach. */
  readonly tid: number;
  readonly workerNo: number;
  /** Words each request and reply carries (0..64). */
  readonly words: number;
}

/**
 * The client calls capability slot 0. Cross-worker: `peerTid` is the server thread (sampled for
 * sleeping) and `handlerTid` 0. Colocated: `handlerTid` is the passive thread this worker registers
 * a handler for, and `peerTid` 0.
 */
export interface ClientData extends KernelWorkerBase {
  readonly role: 'client';
  readonly peerTid: number;
  readonly handlerTid: number;
}

/** The server answers calls forever; it publishes its counters in `stats` (SERVER_STATS layout). */
export interface ServerData extends KernelWorkerBase {
  readonly role: 'server';
  readonly peerTid: number;
  readonly stats: SharedArrayBuffer;
}

export type KernelWorkerData = ClientData | ServerData;

/** Int32 slots of the server's stats buffer, each written with Atomics.store. */
export const SERVER_STATS = { samples: 0, peerAsleep: 1, errors: 2, floorWaits: 3 } as const;
export const SERVER_STATS_BYTES = 4 * Int32Array.BYTES_PER_ELEMENT;

/** Worker -> main: attached (and, colocated, handler registered); or failed to. */
export interface KernelReady {
  readonly kind: 'ready';
  readonly error?: string;
}

/** Main -> client: make `iterations` calls (numbered on from the previous run). */
export interface KernelRunRequest {
  readonly kind: 'run';
  readonly iterations: number;
}

/** Main -> client: have the server play pong (by a FLOOR_LABEL call), then play ping `iterations` times, timed. */
export interface KernelFloorRequest {
  readonly kind: 'floor';
  readonly mode: PingPongMode;
  readonly spinPolls: number;
  readonly iterations: number;
  /** Round trips played on this pair's ping-pong buffer so far: the sequence numbers start at base + 1. */
  readonly base: number;
}

/** Client -> main: the run's ns (performance.now around the loop), its errors and sleep samples. */
export interface KernelRunDone {
  readonly kind: 'done';
  readonly elapsedNs: number;
  readonly errors: number;
  /** The first failed call, described, when errors > 0. */
  readonly firstError?: string;
  readonly samples: number;
  readonly peerAsleep: number;
  /** A floor run: the client's Atomics.wait calls (the server's are in SERVER_STATS.floorWaits). */
  readonly waits?: number;
}
