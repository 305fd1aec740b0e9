// The Node platform: worker_threads workers, kernel.wasm from the package's build/ folder, the
// process's stdin/stdout/stderr as the console, and a directory that keeps programs made able to
// fork (for the programs this thread compiles: the CLI's first).
import { fstatSync, read } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { totalmem } from 'node:os';
import type { Platform } from '../platform.js';
import { nodeWorker } from './endpoint.js';
import { nodeTransformStore } from './transform_store.js';
import { setTransformStore } from '../../libsystem/asyncify.js';

/** build/kernel.wasm and build/bin.img, relative to dist/host/node/ (and dist/bundle/node/). */
const KERNEL_URL = new URL('../../../build/kernel.wasm', import.meta.url);
const IMAGE_URL = new URL('../../../build/bin.img', import.meta.url);
const WORKER_URL = new URL('./worker_main.js', import.meta.url);
/** Bytes of stdin read ahead of the console's requests; bytes of one read of a file given as stdin. */
const INPUT_AHEAD = 1 << 20;
const FILE_CHUNK = 1 << 20;

function stdinIsFile(): boolean {
  try {
    return fstatSync(0).isFile();
  } catch {
    return false; // fd 0 closed: process.stdin reports its end
  }
}

/**
 * The next chunk of a regular file on fd 0 (from its current offset, as a shell's `< file` expects)
 * into `buffer`; undefined at its end, or if it cannot be read. process.stdin would read it 64 KiB at
 * a time, each a round trip to libuv's thread pool: 800 for 50 MB.
 */
function readFileChunk(buffer: Uint8Array): Promise<Uint8Array | undefined> {
  return new Promise((resolve) => read(0, buffer, 0, buffer.length, null, (e, n) => resolve(!e && n > 0 ? buffer.subarray(0, n) : undefined)));
}

/** Bytes of the arena output buffers come from (the size of an output ring). */
const OUTPUT_ARENA = 2 ** 20;

setTransformStore(nodeTransformStore());

export class NodePlatform implements Platform {
  private arena = Buffer.alloc(0);
  private arenaUsed = 0;
  readonly mainThreadMayBlock = false;
  /** A quarter of the machine's memory, as at most 4 GiB (Linux gives tmpfs half by default). */
  readonly fileMemory = Math.min(totalmem() / 4, 4 * 2 ** 30);

  startWorker() {
    return nodeWorker(WORKER_URL);
  }

  async loadKernel(): Promise<WebAssembly.Module> {
    return WebAssembly.compile(await readFile(KERNEL_URL));
  }

  async loadBootImage(): Promise<Uint8Array> {
    return readFile(IMAGE_URL);
  }

  write(fd: number, data: Uint8Array): boolean {
    const stream = fd === 2 ? process.stderr : process.stdout;
    return stream.destroyed || stream.write(data);
  }

  /**
   * Room for output the console is about to write, bumped from an arena that is reused once every
   * write made from it has completed: Node writes files and pipes synchronously on Linux, so usually
   * at once; a write still queued keeps its part (the arena is then replaced, not overwritten). A
   * fresh buffer per batch cost the page faults of 50 MB per 50 MB written. Not zeroed: the console
   * fills it at once.
   */
  outputBuffer(bytes: number): Uint8Array {
    if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) this.arenaUsed = 0;
    if (this.arenaUsed + bytes > this.arena.length) {
      this.arena = Buffer.allocUnsafe(Math.max(OUTPUT_ARENA, bytes));
      this.arenaUsed = 0;
    }
    this.arenaUsed += bytes;
    return this.arena.subarray(this.arenaUsed - bytes, this.arenaUsed);
  }

  /** 'drain' after a full buffer; 'broken' when the reader has gone (EPIPE), which is not an error of webmach. */
  watchOutput(handler: (fd: number, event: 'drained' | 'broken') => void): () => void {
    const undo = [process.stdout, process.stderr].map((stream, i) => {
      const drained = () => handler(i + 1, 'drained');
      const broken = () => {
        stream.destroy();
        handler(i + 1, 'broken');
      };
      stream.on('drain', drained);
      stream.on('error', broken);
      return () => {
        stream.off('drain', drained);
        stream.off('error', broken);
      };
    });
    return () => undo.forEach((f) => f());
  }

  isatty(fd: number): boolean {
    return [process.stdin, process.stdout, process.stderr][fd]?.isTTY === true;
  }

  /** Chunks of stdin read ahead of the console (bytes in them), and who waits for the next one. */
  private input: Uint8Array[] = [];
  private inputBytes = 0;
  private inputEnded = false;
  private inputWaiter: (() => void) | undefined;
  private inputStarted = false;
  /** Whether stdin is a regular file (read in large chunks straight from fd 0, not through process.stdin), into these by turns. */
  private inputIsFile: boolean | undefined;
  private fileBuffers: Uint8Array[] | undefined;

  /**
   * The next chunk of stdin. Nothing is read before the first call (a program that never reads
   * leaves stdin alone); from then on stdin flows, up to INPUT_AHEAD bytes ahead of the calls, so a
   * reader that keeps up never waits for the stream to be resumed.
   */
  async readInput(): Promise<Uint8Array | undefined> {
    if ((this.inputIsFile ??= stdinIsFile())) {
      const buffers = (this.fileBuffers ??= [new Uint8Array(FILE_CHUNK), new Uint8Array(FILE_CHUNK)]).reverse();
      return readFileChunk(buffers[0]); // the one the call before last filled (see Platform.readInput)
    }
    if (!this.inputStarted) this.startInput();
    while (this.input.length === 0 && !this.inputEnded) await new Promise<void>((resolve) => (this.inputWaiter = resolve));
    const chunk = this.input.shift();
    if (!chunk) return undefined;
    this.inputBytes -= chunk.length;
    if (this.inputBytes < INPUT_AHEAD && !process.stdin.readableEnded) process.stdin.resume();
    return chunk;
  }

  private startInput(): void {
    this.inputStarted = true;
    const stdin = process.stdin;
    const arrived = () => {
      this.inputWaiter?.();
      this.inputWaiter = undefined;
    };
    stdin.on('data', (chunk: Buffer) => {
      this.input.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
      this.inputBytes += chunk.length;
      if (this.inputBytes >= INPUT_AHEAD) stdin.pause();
      arrived();
    });
    stdin.on('end', () => {
      this.inputEnded = true;
      arrived();
    });
    if (stdin.readableEnded) this.inputEnded = true;
    else stdin.resume();
  }
}
