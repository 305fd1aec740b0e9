// The host's console device: the far end of the console's rings (abi/ring.ts). It
// fills the machine's input ring from the platform's standard input once a reader asks for input, and
// drains the machine's output ring (which every process writes, record by record under its writer
// lock, so the console shows writes in the order they were made) to the platform's stdout and
// stderr, holding off (so the ring fills and its writers sleep) while the platform's buffer is full. The main thread never blocks:
// it sleeps on the rings with Atomics.waitAsync. The personality server hears about it only what its
// own slow path needs: that input came or output drained (when it parked a call on a ring), and
// full/drained/broken outputs. On a terminal in raw mode (`terminal`), the device is a plain serial
// line: every byte typed goes into the input ring at once, whether or not anyone reads (so ^C is
// seen while nothing reads), and the server, which runs the line discipline, is woken for each
// chunk. Output processing (OPOST, ONLCR: \n out as \r\n) stays the host terminal's own: Node's raw
// mode (libuv's) leaves OPOST set.
import { Ring, CONSOLE_RING_BYTES, RING_CLOSED, RING_SERVER_WAITS, RING_WANT, ringBroken } from '../abi/ring.js';
import type { Platform } from './platform.js';

/** What the console device tells the personality server. */
export interface ConsoleServer {
  /** Input came or ended, or an output ring was drained, while the server had a call parked on that ring. */
  wake(): void;
  output(fd: number, state: 'full' | 'drained' | 'broken'): void;
}

export class ConsoleDevice {
  readonly input: Ring;
  private readonly output: Ring;
  /** Host fds whose last write found the platform's buffer full (waiting for 'drained'). */
  private held = new Set<number>();
  /** Settles when `held` empties again. */
  private drained: Promise<void> | undefined;
  private resume: (() => void) | undefined;

  /** `inputAddr`, `outputAddr`: machine memory for the rings (the root task's own frames, below the server's). */
  constructor(private platform: Platform, memory: WebAssembly.Memory, inputAddr: number, outputAddr: number, private server: ConsoleServer,
    private terminal = false) {
    this.input = new Ring(memory.buffer, inputAddr, CONSOLE_RING_BYTES);
    this.output = new Ring(memory.buffer, outputAddr, CONSOLE_RING_BYTES, true); // several writers may sleep on it
    void this.pumpInput();
    void this.pumpOutput();
  }

  /** Hand the platform what the output ring holds now (before output that comes another way, or a run's end). */
  flush(): void {
    for (const [fd, bytes] of this.output.takeRecords(this.platform.outputBuffer?.bind(this.platform))) this.put(fd, bytes);
    this.wakeServer(this.output);
  }

  /** The platform's output fd drained or broke. */
  outputEvent(fd: number, event: 'drained' | 'broken'): void {
    if (event === 'broken') this.output.signal('reader', ringBroken(fd));
    this.held.delete(fd);
    if (this.held.size === 0) {
      this.resume?.();
      this.drained = undefined;
    }
    this.server.output(fd, event);
  }

  private async pumpOutput(): Promise<void> {
    const ring = this.output;
    for (;;) {
      if (this.drained) await this.drained;
      const seq = ring.prepareWait('reader');
      if (ring.used() === 0) await ring.waitAsync('reader', seq);
      else this.flush();
    }
  }

  /** Output that came another way (the server's, a trace line): after what the ring holds now. */
  write(fd: number, bytes: Uint8Array): void {
    this.flush();
    this.put(fd, bytes);
  }

  /** Hand `bytes` to the platform; a full platform buffer holds further draining and the server's writes. */
  private put(fd: number, bytes: Uint8Array): void {
    if (this.platform.write(fd, bytes) !== false || this.held.has(fd)) return;
    this.held.add(fd);
    this.drained ??= new Promise<void>((resolve) => (this.resume = resolve));
    this.server.output(fd, 'full');
  }

  /**
   * Read the platform's input into the input ring, from the first reader's request to its end, one
   * chunk ahead (the next is being read while the ring takes this one).
   */
  private async pumpInput(): Promise<void> {
    const ring = this.input;
    if (!this.terminal) await this.until(ring, () => (ring.flags() & RING_WANT) !== 0);
    let next = this.platform.readInput();
    for (let chunk = await next; chunk; chunk = await next) {
      next = this.platform.readInput();
      for (let done = 0; done < chunk.length; ) {
        await this.until(ring, () => ring.room() > 0);
        const n = Math.min(ring.room(), chunk.length - done);
        ring.put(chunk.subarray(done, done + n));
        done += n;
        this.wakeServer(ring);
      }
    }
    ring.signal('writer', RING_CLOSED);
    this.wakeServer(ring);
  }

  /** Sleep as the input ring's writer until `ready()` holds. */
  private async until(ring: Ring, ready: () => boolean): Promise<void> {
    for (;;) {
      const seq = ring.prepareWait('writer');
      if (ready()) return;
      await ring.waitAsync('writer', seq);
    }
  }

  /** Wake the server if it parked a call on `ring` (input that was empty, output that was full). */
  private wakeServer(ring: Ring): void {
    if ((ring.flags() & RING_SERVER_WAITS) === 0 && !(this.terminal && ring === this.input)) return;
    ring.clearFlags(RING_SERVER_WAITS);
    this.server.wake();
  }
}

