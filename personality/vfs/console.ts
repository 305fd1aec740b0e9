// The console: the host's standard input, output and error as device nodes (/dev/stdin, /dev/stdout,
// /dev/stderr, /dev/tty) and as every process's descriptors 0-2. Output goes straight to the host,
// held back (EAGAIN, so blocking writers park) while the host says its buffer is full, and EPIPE once
// its reader is gone; input is buffered here as the host delivers it, asked for only when a read finds
// nothing (so a program that never reads stdin never makes the host read it). Streams: no seeking.
import { EAGAIN, EBADF, ENXIO, EPIPE } from '../interfaces/errno.js';
import { FILETYPE } from '../interfaces/wasi.js';
import { BaseVnode, VfsError, nowNs, type Mount, type Readiness, type Stat, type TimeSet } from './vnode.js';
import type { DevFs } from './devfs.js';

/** What the console needs from the server's host. */
export interface ConsoleHost {
  write(fd: number, data: Uint8Array): void;
  /** Ask for more input; the host answers with feed() or end(). */
  wantInput(): void;
}

/** Input kept ahead of a reader (bytes): enough that the host's next chunk arrives while this is read. */
const READ_AHEAD = 256 * 1024;

export class Console {
  private chunks: Uint8Array[] = [];
  private ended = false;
  private asked = false;
  /** Per output fd (index 1, 2): 'full' holds writes (EAGAIN, parked) until 'drained'; 'broken' is EPIPE. */
  private outputs: Array<'drained' | 'full' | 'broken'> = ['drained', 'drained', 'drained'];

  /** `ttys`: bit i set when host descriptor i is a terminal. */
  constructor(private host: ConsoleHost, readonly ttys: number) {}

  isatty(fd: number): boolean {
    return (this.ttys & (1 << fd)) !== 0;
  }

  feed(data: Uint8Array): void {
    this.asked = false;
    if (data.length) this.chunks.push(data);
  }

  end(): void {
    this.asked = false;
    this.ended = true;
  }

  /** Bytes buffered now. */
  get buffered(): number {
    return this.chunks.reduce((n, c) => n + c.length, 0);
  }

  /** Ask the host for input, unless it has been asked already or the input ended. */
  private ask(): void {
    if (this.ended || this.asked) return;
    this.asked = true;
    this.host.wantInput();
  }

  /** Take up to into.length buffered bytes; 0 at the end of input; EAGAIN (and ask the host) if none yet. */
  read(into: Uint8Array): number {
    if (this.chunks.length === 0) {
      if (this.ended) return 0;
      this.ask();
      throw new VfsError(EAGAIN);
    }
    let n = 0;
    while (n < into.length && this.chunks.length) {
      const c = this.chunks[0];
      const take = Math.min(c.length, into.length - n);
      into.set(c.subarray(0, take), n);
      n += take;
      if (take === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(take);
    }
    if (this.buffered < READ_AHEAD) this.ask(); // the next chunk arrives while this one is read
    return n;
  }

  readiness(): Readiness {
    const nbytes = this.buffered;
    if (nbytes === 0) this.ask();
    return { readable: nbytes > 0 || this.ended, writable: true, hangup: nbytes === 0 && this.ended, nbytes };
  }

  /** Whether a write to output `fd` would go through now (a broken one fails at once, so it is "ready"). */
  writable(fd: number): boolean {
    return this.outputs[fd] !== 'full';
  }

  /** The host's output fd changed state (see outputs). */
  output(fd: number, state: 'full' | 'drained' | 'broken'): void {
    if (this.outputs[fd] !== 'broken') this.outputs[fd] = state;
  }

  write(fd: number, data: Uint8Array): number {
    if (this.outputs[fd] === 'broken') throw new VfsError(EPIPE);
    if (this.outputs[fd] === 'full') throw new VfsError(EAGAIN);
    this.host.write(fd, data.slice());
    return data.length;
  }
}

/** One console stream as a character device: `input` reads the console, `output` writes host fd N. */
export class ConsoleNode extends BaseVnode {
  override readonly seekable = false;
  readonly filetype: number;
  private times = nowNs();

  constructor(readonly mount: Mount, private ino: bigint, private console: Console, private input: boolean, private output: number,
    private terminalOnly = false) {
    super();
    const fd = input ? 0 : output;
    this.filetype = console.isatty(fd) ? FILETYPE.characterDevice : FILETYPE.unknown;
  }

  stat(): Stat {
    const t = this.times;
    return { dev: this.mount.dev, ino: this.ino, filetype: this.filetype, nlink: 1n, size: 0n, atim: t, mtim: t, ctim: t };
  }

  setTimes(_atim: TimeSet, _mtim: TimeSet): void {}

  private check(): void {
    if (this.terminalOnly && !this.console.isatty(0)) throw new VfsError(ENXIO);
  }

  override read(_offset: number, into: Uint8Array): number {
    this.check();
    if (!this.input) throw new VfsError(EBADF);
    return this.console.read(into);
  }

  override write(_offset: number, from: Uint8Array): number {
    this.check();
    if (this.output === 0) throw new VfsError(EBADF);
    return this.console.write(this.output, from);
  }

  override readiness(): Readiness {
    if (this.input) return this.console.readiness();
    return { readable: false, writable: this.console.writable(this.output), hangup: false, nbytes: 0 };
  }
}

/** The console's device nodes, by their /dev names, with inode numbers from the devfs they join. */
export function consoleNodes(dev: DevFs, console: Console): Record<string, ConsoleNode> {
  return {
    stdin: new ConsoleNode(dev, dev.allocIno(), console, true, 0),
    stdout: new ConsoleNode(dev, dev.allocIno(), console, false, 1),
    stderr: new ConsoleNode(dev, dev.allocIno(), console, false, 2),
    tty: new ConsoleNode(dev, dev.allocIno(), console, true, 1, true),
  };
}
