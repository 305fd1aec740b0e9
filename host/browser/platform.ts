// The browser platform: module Web Workers, kernel.wasm fetched from the server, and a console that
// hands output to the page; standard input is a fixed text or empty. The page must be cross-origin isolated (COOP/COEP) for shared memory.
import type { Platform } from '../platform.js';
import { webWorker } from './endpoint.js';

const KERNEL_URL = new URL('../../../build/kernel.wasm', import.meta.url);
const IMAGE_URL = new URL('../../../build/bin.img', import.meta.url);
const WORKER_URL = new URL('./worker_main.js', import.meta.url);

export class BrowserPlatform implements Platform {
  readonly mainThreadMayBlock = false;
  /** A page's memory is tighter than a process's: 512 MiB of files. */
  readonly fileMemory = 512 * 2 ** 20;

  /** `input`: what standard input holds (then it ends); none: it is empty. */
  constructor(private output: (fd: number, data: Uint8Array) => void, private input?: Uint8Array) {
    if (!globalThis.crossOriginIsolated) throw new Error('webmach needs a cross-origin isolated page (COOP/COEP headers)');
  }

  startWorker() {
    return webWorker(WORKER_URL);
  }

  async loadKernel(): Promise<WebAssembly.Module> {
    return WebAssembly.compileStreaming(fetch(KERNEL_URL));
  }

  async loadBootImage(): Promise<Uint8Array> {
    const response = await fetch(IMAGE_URL);
    if (!response.ok) throw new Error(`webmach: cannot load the boot image: ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  }

  write(fd: number, data: Uint8Array): void {
    this.output(fd, data);
  }

  /** The page has no terminal yet: no descriptor is one. */
  isatty(): boolean {
    return false;
  }

  /** Standard input: the text the page was given, once, then its end (the terminal comes later). */
  async readInput(): Promise<Uint8Array | undefined> {
    const data = this.input;
    this.input = undefined;
    return data;
  }
}
