// The console: the host's standard input, output and error as device nodes (/dev/stdin, /dev/stdout,
// /dev/stderr, /dev/tty) and as every process's descriptors 0-2. Input is the machine's input ring
// (abi/ring.ts), which the host fills once someone wants input and which task libraries also
// read directly while their descriptor 0 is the console; a read that finds it empty asks for input and
// parks until the host wakes the server. Output written here (the slow path: tracing, /dev/stdout
// opened anew) goes into the machine's one output ring, which every process's task library writes
// too (each record under the ring's writer lock), so all writes to the console stay in the order
// they were made, whichever process made them and whichever way they went; a full ring holds it
// back (EAGAIN, so blocking writers park until the host drains it), and EPIPE once the host's
// reader is gone. Streams: no seeking. Calls wait on the console's channels, woken when the host
// says something changed. When the host's input is a terminal in raw mode (`webmach sh` on a
// terminal), the console is that terminal: its input goes through the line discipline (tty.ts), and
// reads, the terminal calls and job control go through it; task libraries then never read the
// input ring themselves.
import { EAGAIN, EBADF, ENXIO, EPIPE } from '../../abi/errno.js';
import { FDFLAGS, FILETYPE, RIGHT } from '../../abi/wasi.js';
import { RING_CLOSED, RING_SERVER_WAITS, RING_WANT, ringBroken, type Ring } from '../../abi/ring.js';
import { BaseVnode, VfsError, nowNs, type Mount, type Readiness, type Stat, type TimeSet } from './vnode.js';
import type { DevFs } from './devfs.js';
import type { FdTable } from './file.js';
import type { Process } from '../bsd/proc.js';
import { TOSTOP, type Tty } from './tty.js';

/** What the console needs from the server. */
export interface ConsoleHost {
  /** Output with no process to order it after (straight to the host). */
  write(fd: number, data: Uint8Array): void;
  /** Whether a call of a process is being served (its output goes into the output ring, in order with its own writes there). */
  serving(): boolean;
  /** The process whose call is being served, and when that call was first tried (performance.now() ms). */
  caller(): { proc: Process; started: () => number } | undefined;
}

/** The server's owner value for the output ring's writer lock (pids start at 1). */
const SERVER_OWNER = -1;
/** Tries of the writer lock before the server parks the write (a task holds it only while it copies). */
const LOCK_TRIES = 1000;

export class Console {
  /** Per output fd (index 1, 2): 'full' holds writes (EAGAIN, parked) until 'drained'; 'broken' is EPIPE. */
  private outputs: Array<'drained' | 'full' | 'broken'> = ['drained', 'drained', 'drained'];
  /** Wait channels: readers of the input; writers of output fd 1 and 2 (index 0 unused). */
  readonly inputChannel = {};
  private outputChannels = [{}, {}, {}];

  /**
   * `ttys`: bit i set when host descriptor i is a terminal; `input` and `outputRing`: the machine's
   * console rings; `tty`: the terminal, when the host's input is one in raw mode.
   */
  constructor(private host: ConsoleHost, readonly ttys: number, readonly input: Ring, readonly outputRing: Ring, readonly tty?: Tty) {}

  /** Whether host descriptor `fd` is the terminal webmach runs (its line discipline, termios, job control). */
  isTerminal(fd: number): boolean {
    return this.tty !== undefined && this.isatty(fd);
  }

  /**
   * Bytes the terminal echoes, to the host's first output that is the terminal: into the output
   * ring, so they show before whatever a reader writes after its read returns (straight to the
   * host, after what the ring holds, when the ring is full).
   */
  echo(bytes: Uint8Array): void {
    const fd = this.isatty(1) ? 1 : this.isatty(2) ? 2 : 0;
    if (!fd || this.outputs[fd] === 'broken') return;
    const n = this.put(fd, bytes);
    if (n < bytes.length) this.host.write(fd, bytes.slice(n));
  }

  outputChannel(fd: number): object {
    return this.outputChannels[fd];
  }

  /** Every channel of the console (an event from the host may concern any). */
  channels(): object[] {
    return [this.inputChannel, this.outputChannels[1], this.outputChannels[2]];
  }

  isatty(fd: number): boolean {
    return (this.ttys & (1 << fd)) !== 0;
  }

  /** The host's input has ended and every byte of it was taken. */
  get ended(): boolean {
    return (this.input.flags() & RING_CLOSED) !== 0 && this.input.used() === 0;
  }

  /** Ask the host for input and to wake the server when it comes; false if some came meanwhile. */
  private ask(): boolean {
    this.input.signal('reader', RING_WANT | RING_SERVER_WAITS);
    return this.input.used() === 0 && !this.ended;
  }

  /** Take up to into.length bytes of input; 0 at its end; EAGAIN (having asked the host) if none yet. */
  read(into: Uint8Array): number {
    if (this.tty) {
      const caller = this.host.caller();
      return this.tty.read(caller?.proc, into, caller?.started ?? (() => performance.now()));
    }
    const n = this.input.take(into);
    if (n > 0 || this.ended || into.length === 0) return n;
    if (this.ask()) throw new VfsError(EAGAIN);
    return this.read(into);
  }

  readiness(): Readiness {
    if (this.tty) return this.tty.readiness();
    if (this.input.used() === 0 && !this.ended) this.ask();
    const nbytes = this.input.used();
    return { readable: nbytes > 0 || this.ended, writable: true, hangup: this.ended, nbytes };
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
    const ring = this.outputRing;
    const caller = this.host.caller();
    if (this.isTerminal(fd) && caller) this.tty!.write(caller.proc);
    if (this.outputs[fd] === 'broken' || (ring.flags() & ringBroken(fd)) !== 0) throw new VfsError(EPIPE);
    if (!this.host.serving()) {
      if (this.outputs[fd] === 'full') throw new VfsError(EAGAIN);
      this.host.write(fd, data.slice());
      return data.length;
    }
    const n = this.put(fd, data);
    if (n > 0) return n;
    ring.signal('writer', RING_SERVER_WAITS); // the host wakes the server when it has drained the ring: look once more
    const again = this.put(fd, data);
    if (again > 0) return again;
    throw new VfsError(EAGAIN);
  }

  /** One record into the output ring under its writer lock (0 if the ring is full or a task keeps the lock). */
  private put(fd: number, data: Uint8Array): number {
    const ring = this.outputRing;
    for (let i = 0; !ring.lock(SERVER_OWNER); i++) if (i === LOCK_TRIES) return 0;
    const n = ring.putRecord(fd, data);
    ring.unlock(SERVER_OWNER);
    return n;
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

  /** The terminal, if this node is it (ENOTTY otherwise, for the terminal calls). */
  get tty(): Tty | undefined {
    return this.console.isTerminal(this.input ? 0 : this.output) ? this.console.tty : undefined;
  }

  stat(): Stat {
    const t = this.times;
    return { dev: this.mount.dev, ino: this.ino, filetype: this.filetype, nlink: 1n, size: 0n, atim: t, mtim: t, ctim: t };
  }

  setTimes(_atim: TimeSet, _mtim: TimeSet): void {}

  /** The host stream a task library may use directly for this node (0 input, 1-2 output); -1 for /dev/tty. */
  get stream(): number {
    if (this.terminalOnly) return -1;
    return this.input ? 0 : this.output;
  }

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

  override channel(dir: 'read' | 'write'): object {
    return dir === 'read' ? this.console.inputChannel : this.console.outputChannel(this.output);
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

/**
 * The commpage's console word for descriptors 0-2 of `fds` (abi/commpage.ts): nibble i is
 * s + 1 when descriptor i is console stream s, opened blocking, with the right to move data that way.
 * Never the terminal's input (its reads go through the line discipline), nor its output while TOSTOP
 * asks the server to check each write.
 */
export function consoleStreams(fds: FdTable, console: Console): number {
  let word = 0;
  const tostop = console.tty !== undefined && (console.tty.termios.lflag & TOSTOP) !== 0;
  for (let fd = 0; fd < 3; fd++) {
    const d = fds.lookup(fd);
    const node = d?.file.vnode;
    if (!d || !(node instanceof ConsoleNode) || node.stream < 0 || (d.file.fdflags & FDFLAGS.nonblock) !== 0) continue;
    if (node.tty && (node.stream === 0 || tostop)) continue;
    if ((d.rights & (node.stream === 0 ? RIGHT.fdRead : RIGHT.fdWrite)) !== 0) word |= (node.stream + 1) << (4 * fd);
  }
  return word;
}
