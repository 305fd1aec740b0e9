// The interface generator (abi/mig.mjs) and what it generated from abi/bsd.defs: every routine's
// client stub and server decoder agree on the wire (values sent through the stub come out of the
// decoder, results encoded by the server come out of the stub); malformed messages get an errno
// (EINVAL, EFAULT, EILSEQ), never zeros; the stubs refuse data the window cannot hold; and the
// generator refuses bad definitions with the file and line.
import { describe, expect, it } from 'vitest';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { execFileSync } from 'node:child_process';
import { tag } from '../../dist/kernel-as/bindings/kernel.js';
import * as bsd from '../../dist/libsystem/bsd_user.js';
import { bsdRoutines, type BsdServer, type Field, type Routine } from '../../dist/personality/bsd/bsd_server.js';
import { MessageReader } from '../../dist/personality/bsd/msg.js';
import { SYSCALLS } from '../../dist/personality/bsd/syscalls.js';
import { VfsError } from '../../dist/personality/vfs/vnode.js';
import { errnoName } from '../../dist/abi/errno.js';
import type { Kernel } from '../../dist/kernel-as/bindings/kernel.js';
import type { Syscalls } from '../../dist/libsystem/syscall.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WINDOW = 65536;

/** Message registers and a window, as a task and the server see them. */
class FakeWire {
  readonly mrs = new Int32Array(65);
  readonly window = new Uint8Array(WINDOW);
  readonly k = { mr: (i: number) => this.mrs[i], setMr: (i: number, v: number) => void (this.mrs[i] = v) } as unknown as Kernel;
  sent: { label: number; words: number } | undefined;
  /** What the server answers: out words (after the errno) or an errno alone. */
  answer: { errno: number; words: readonly number[] } = { errno: 0, words: [] };

  readonly sys = {
    k: this.k,
    window: this.window,
    windowLen: WINDOW,
    send: (label: number, words: number) => {
      this.sent = { label, words };
      this.mrs[0] = tag(label, words); // the request as the server receives it
      this.requestWords = Array.from(this.mrs.subarray(0, words + 1));
      const { errno, words: out } = this.answer;
      if (errno !== 0 || out.length === 0) return errno;
      out.forEach((w, i) => (this.mrs[2 + i] = w));
      return 0;
    },
  } as unknown as Syscalls;
  requestWords: number[] = [];

  /** Put the captured request back into the registers and decode it as the server would. */
  decode(routine: Routine<unknown>): Record<string, unknown> {
    this.requestWords.forEach((w, i) => (this.mrs[i] = w));
    return routine.decode(new MessageReader(this.k, this.window)) as Record<string, unknown>;
  }
}

const encoder = new TextEncoder();

/** A distinct sample value for field `f` (the i-th field of its routine). */
function sample(f: Field, i: number): unknown {
  switch (f.type) {
    case 'int':
      return -7 - i;
    case 'u64':
      return 0x1_2345_6789n + BigInt(i);
    case 's64':
      return -0x1_0000_0003n - BigInt(i);
    case 'string':
      return `dir/fïle-${i}`;
    case 'bytes':
      return f.dir === 'out' ? 40 + i : new Uint8Array([i, 0xff, 7, 0, 9]);
    default:
      return (0x8000_0001 + i) >>> 0;
  }
}

/** The stub's argument for a sample (strings travel as their UTF-8 bytes). */
const stubArg = (f: Field, v: unknown) => (f.type === 'string' ? encoder.encode(v as string) : v);

/** Call routine `r`'s client stub with `args` on `wire`. */
function callStub(r: Routine<unknown>, wire: FakeWire, args: unknown[]): unknown {
  const stub = (bsd as unknown as Record<string, (...a: unknown[]) => unknown>)[r.name === 'null' ? 'null_' : r.name];
  return stub(wire.sys, ...args);
}

const requestFields = (r: Routine<unknown>) => r.fields.filter((f) => f.dir !== 'out' || f.type === 'bytes');
const outFields = (r: Routine<unknown>) => r.fields.filter((f) => f.dir !== 'in');

/** A handler table whose every handler returns sample results (out bytes: a count within the room). */
function sampleServer(): BsdServer<unknown> {
  const handlers: Record<string, () => object> = {};
  for (const r of SYSCALLS.values()) {
    handlers[r.name] = () => Object.fromEntries(outFields(r).map((f, i) => [f.name, f.type === 'bytes' ? 3 + i : sample(f, i + 10)]));
  }
  return handlers as unknown as BsdServer<unknown>;
}

function errnoOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof VfsError) return errnoName(e.errno);
    throw e;
  }
  return 'no error';
}

describe('generated BSD stubs and decoders', () => {
  const routines = bsdRoutines(sampleServer());

  it('covers every routine of abi/bsd.defs on both sides', () => {
    expect(routines.size).toBe(SYSCALLS.size);
    expect(routines.size).toBeGreaterThanOrEqual(38);
    for (const [n, r] of SYSCALLS) {
      expect(bsd.NUMBERS[r.name as keyof typeof bsd.NUMBERS]).toBe(n);
      expect(r.number).toBe(n);
    }
  });

  for (const r of SYSCALLS.values()) {
    it(`${r.name}: what the stub sends is what the server decodes, and the reply comes back`, () => {
      const wire = new FakeWire();
      const fields = requestFields(r);
      const values = fields.map((f, i) => sample(f, i));
      const served = routines.get(r.number)!;
      // the server's reply words for sample results, as the dispatcher would send them
      const { words, out } = served.serve(undefined, {});
      wire.answer = { errno: 0, words };
      const reply = callStub(r, wire, fields.map((f, i) => stubArg(f, values[i])));
      expect(wire.sent?.label).toBe(r.number);
      const decoded = wire.decode(r);
      fields.forEach((f, i) => {
        const got = decoded[f.name];
        if (f.dir === 'out') expect((got as Uint8Array).length, f.name).toBe(values[i]); // the room asked for
        else if (f.type === 'bytes') expect(Array.from(got as Uint8Array), f.name).toEqual(Array.from(values[i] as Uint8Array));
        else expect(got, f.name).toBe(values[i]);
      });
      const outs = outFields(r);
      if (outs.length === 0) {
        expect(reply).toBe(0);
        return;
      }
      const rep = reply as Record<string, unknown>;
      expect(rep.errno).toBe(0);
      for (const f of outs) {
        const sent = (out as Record<string, unknown>)[f.name];
        if (f.type === 'bytes') expect((rep[f.name] as Uint8Array).length, f.name).toBe(sent);
        else expect(rep[f.name], f.name).toBe(sent);
      }
    });
  }

  it('an errno comes back with zero values for every result', () => {
    const wire = new FakeWire();
    wire.answer = { errno: 8, words: [] };
    expect(bsd.fstat(wire.sys, 3)).toEqual({ errno: 8, dev: 0n, ino: 0n, filetype: 0, nlink: 0n, size: 0n, atim: 0n, mtim: 0n, ctim: 0n });
    expect(bsd.read(wire.sys, 3, 10).data.length).toBe(0);
    expect(bsd.close(wire.sys, 3)).toBe(8);
  });

  it('a message with a word too few or too many is EINVAL, not zeros', () => {
    const openat = SYSCALLS.get(bsd.NUMBERS.openat)!;
    for (const words of [8, 10, 0]) {
      const wire = new FakeWire();
      wire.mrs[0] = tag(bsd.NUMBERS.openat, words);
      expect(errnoOf(() => openat.decode(new MessageReader(wire.k, wire.window))), `${words} words`).toBe('EINVAL');
    }
  });

  it('data or a room outside the window is EFAULT; a path that is not UTF-8 is EILSEQ', () => {
    const decodeWith = (number: number, words: number[], fill?: Uint8Array) => {
      const wire = new FakeWire();
      if (fill) wire.window.set(fill);
      wire.mrs[0] = tag(number, words.length);
      words.forEach((w, i) => (wire.mrs[1 + i] = w));
      return errnoOf(() => SYSCALLS.get(number)!.decode(new MessageReader(wire.k, wire.window)));
    };
    expect(decodeWith(bsd.NUMBERS.write, [1, WINDOW + 1])).toBe('EFAULT');
    expect(decodeWith(bsd.NUMBERS.read, [1, WINDOW + 1])).toBe('EFAULT');
    expect(decodeWith(bsd.NUMBERS.read, [1, -1])).toBe('EFAULT');
    expect(decodeWith(bsd.NUMBERS.renameat, [3, WINDOW - 2, 3, 3])).toBe('EFAULT'); // the second path runs past the end
    expect(decodeWith(bsd.NUMBERS.mkdirat, [3, 2], new Uint8Array([0xc3, 0x28]))).toBe('EILSEQ');
    expect(decodeWith(bsd.NUMBERS.write, [1, WINDOW])).toBe('no error');
  });

  it('a stub refuses a path or data the window cannot hold, without calling', () => {
    const wire = new FakeWire();
    expect(errnoName(bsd.mkdirat(wire.sys, 3, new Uint8Array(WINDOW + 1)))).toBe('ENAMETOOLONG');
    expect(errnoName(bsd.renameat(wire.sys, 3, new Uint8Array(WINDOW - 1), 3, new Uint8Array(2)))).toBe('ENAMETOOLONG');
    expect(errnoName(bsd.write(wire.sys, 1, new Uint8Array(WINDOW + 1)).errno)).toBe('EMSGSIZE');
    expect(wire.sent).toBeUndefined();
    bsd.read(wire.sys, 0, WINDOW * 2);
    expect(wire.decode(SYSCALLS.get(bsd.NUMBERS.read)!).data).toHaveLength(WINDOW); // a room is cut to the window
  });
});

describe('the generator', () => {
  const load = async () => (await import(pathToFileURL(`${ROOT}abi/mig.mjs`).href)) as { parse: (text: string, file: string) => { routines: unknown[] } };

  it('refuses bad definitions, naming the file and line', async () => {
    const { parse } = await load();
    const bad: Array<[string, RegExp]> = [
      ['subsystem x;\nroutine a = 1(in p: port);', /x\.defs:2: p: type port is reserved for the Mach side/],
      ['subsystem x;\nroutine a = 1();\nroutine b = 1();', /x\.defs:3: number 1 used twice/],
      ['subsystem x;\nroutine a = 1(out s2: string);', /string can only be in/],
      ['subsystem x;\nroutine a = 1(in v: float);', /unknown type float/],
      ['subsystem x;\nroutine a = 1(in v: int)', /expected ;/],
      ['subsystem x;\nsimpleroutine a = 1(out v: int);', /simpleroutine has no out arguments/],
      [`subsystem x;\nroutine a = 1(${Array.from({ length: 33 }, (_, i) => `in v${i}: u64`).join('; ')});`, /66 request words, at most 64/],
    ];
    for (const [text, message] of bad) expect(() => parse(text, 'x.defs')).toThrow(message);
    expect(parse('subsystem x; /* doc */ routine a = 1(in v: int; out w: u64);', 'x.defs').routines).toHaveLength(1);
  });

  it('the committed generated files are what abi/ generates (npm test fails on drift)', () => {
    expect(() => execFileSync(process.execPath, [`${ROOT}abi/generate.mjs`, '--check'], { stdio: 'pipe' })).not.toThrow();
  });
});
