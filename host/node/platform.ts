// The Node platform: worker_threads workers, kernel.wasm from the package's build/ folder, and the
// process's stdin/stdout/stderr as the console.
import { readFile } from 'node:fs/promises';
import { totalmem } from 'node:os';
import type { Platform } from '../platform.js';
import { nodeWorker } from './endpoint.js';

/** build/kernel.wasm, relative to dist/host/node/. */
const KERNEL_URL = new URL('../../../build/kernel.wasm', import.meta.url);
const WORKER_URL = new URL('./worker_main.js', import.meta.url);

export class NodePlatform implements Platform {
  readonly mainThreadMayBlock = false;
  /** A quarter of the machine's memory, as at most 4 GiB (Linux gives tmpfs half by default). */
  readonly fileMemory = Math.min(totalmem() / 4, 4 * 2 ** 30);

  startWorker() {
    return nodeWorker(WORKER_URL);
  }

  async loadKernel(): Promise<WebAssembly.Module> {
    return WebAssembly.compile(await readFile(KERNEL_URL));
  }

  write(fd: number, data: Uint8Array): boolean {
    const stream = fd === 2 ? process.stderr : process.stdout;
    return stream.destroyed || stream.write(data);
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

  /** One chunk of stdin, read only when asked (a program that never reads leaves stdin alone). */
  readInput(): Promise<Uint8Array | undefined> {
    const stdin = process.stdin;
    if (stdin.readableEnded) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const done = (data: Uint8Array | undefined) => {
        stdin.off('data', onData);
        stdin.off('end', onEnd);
        stdin.pause();
        resolve(data);
      };
      const onData = (chunk: Buffer) => done(new Uint8Array(chunk));
      const onEnd = () => done(undefined);
      stdin.on('data', onData);
      stdin.on('end', onEnd);
      stdin.resume();
    });
  }
}
