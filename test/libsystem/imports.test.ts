// programProblem and compileProgram (libsystem/imports.ts) on modules built here byte by byte: what
// webmach provides passes, a missing import is named, a long list is cut to its first five with a
// count, an import whose signature differs from its WASI definition is named with both signatures,
// and WASI preview0, non-commands and invalid bytes are refused with their reason.
import { describe, expect, it } from 'vitest';
import { compileProgram, moduleImports, programProblem, ProgramError } from '../../dist/libsystem/imports.js';

// Sizes and counts stay below 128, so each LEB128 number is one byte.
const name = (s: string) => {
  const bytes = [...new TextEncoder().encode(s)];
  return [bytes.length, ...bytes];
};
const vec = (items: number[][]) => [items.length, ...items.flat()];
const section = (id: number, body: number[]) => [id, body.length, ...body];
const VALUE: Record<string, number> = { i: 0x7f, I: 0x7e, f: 0x7d, F: 0x7c };
/** A function type from a signature "PARAMS:RESULTS" (i i32, I i64, f f32, F f64). */
const functype = (sig: string) => {
  const [params, results] = sig.split(':').map((s) => [...s].map((c) => VALUE[c]));
  return [0x60, params.length, ...params, results.length, ...results];
};

/** The real signatures of the WASI and webmach functions the tests import by default; anything else is () -> (). */
const REAL: Record<string, string> = { fd_write: 'iiii:i', getpid: ':i', proc_exit: 'i:' };

/**
 * The bytes of a module importing `imports` (module, name, signature: REAL's or () -> ()), optionally
 * a command (memory + _start; _start's type is the last one).
 */
function bytesOf(imports: Array<[string, string, string?]>, command = true): Uint8Array<ArrayBuffer> {
  const sigs = imports.map(([, n, sig]) => sig ?? REAL[n] ?? ':');
  const types = section(1, vec([...sigs.map(functype), functype(':')]));
  const importSection = section(2, vec(imports.map(([m, n], i) => [...name(m), ...name(n), 0x00, i])));
  const funcs = command ? section(3, vec([[sigs.length]])) : [];
  const memory = command ? section(5, vec([[0x00, 1]])) : [];
  const exports = command ? section(7, vec([[...name('memory'), 0x02, 0], [...name('_start'), 0x00, imports.length]])) : [];
  const code = command ? section(10, vec([[2, 0, 0x0b]])) : [];
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...types, ...importSection, ...funcs, ...memory, ...exports, ...code]);
}

function problem(imports: Array<[string, string, string?]>, command = true): string | undefined {
  const bytes = bytesOf(imports, command);
  return programProblem(new WebAssembly.Module(bytes), bytes);
}

describe('programProblem', () => {
  it('accepts a command that imports only what webmach provides, with their signatures', () => {
    expect(problem([['wasi_snapshot_preview1', 'fd_write'], ['webmach', 'getpid'], ['wasi_snapshot_preview1', 'proc_exit']])).toBeUndefined();
  });

  it('names a missing import', () => {
    expect(problem([['wasi_snapshot_preview1', 'fd_write'], ['env', 'frob']])).toBe('it needs imports webmach does not provide: env.frob');
  });

  it('cuts a long list to five names, a count and the modules', () => {
    const many = Array.from({ length: 8 }, (_, i): [string, string] => [i < 6 ? 'host' : 'other', `f${i}`]);
    expect(problem(many)).toBe('it needs imports webmach does not provide: host.f0, host.f1, host.f2, host.f3, host.f4 and 3 more (from host, other)');
  });

  it('refuses a WASI function imported with the wrong signature, naming it and both signatures', () => {
    expect(problem([['wasi_snapshot_preview1', 'fd_write', 'Fiii:i']])).toBe(
      'it imports a function with the wrong signature: wasi_snapshot_preview1.fd_write (imported as (f64, i32, i32, i32) -> (i32), defined as (i32, i32, i32, i32) -> (i32))');
    expect(problem([['wasi_snapshot_preview1', 'proc_exit', 'i:i']])).toContain('proc_exit (imported as (i32) -> (i32), defined as (i32) -> ())');
    expect(problem([['webmach', 'getpid', ':I']])).toContain('webmach.getpid');
  });

  it('refuses WASI preview0 by name, and modules that are not commands', () => {
    expect(problem([['wasi_unstable', 'fd_write']])).toContain('wasi_unstable (WASI preview0)');
    expect(problem([['wasi_snapshot_preview1', 'fd_write']], false)).toContain('not a WASI command');
  });
});

describe('moduleImports', () => {
  it('reads every kind of import, functions with their signatures, past a multi-byte LEB128 count', () => {
    const imports = Array.from({ length: 130 }, (_, i): [string, string, string] => ['m', `f${i}`, i % 2 ? 'iI:i' : 'fF:']);
    // The section sizes exceed 127 here, so build them with two-byte sizes by hand.
    const leb = (n: number) => (n < 128 ? [n] : [(n & 0x7f) | 0x80, n >> 7]);
    const big = (id: number, body: number[]) => [id, ...leb(body.length), ...body];
    const types = big(1, [2, ...functype('fF:'), ...functype('iI:i')]);
    const body = [...leb(imports.length + 1), ...imports.flatMap(([m, n], i) => [...name(m), ...name(n), 0x00, i % 2]), ...name('env'), ...name('memory'), 0x02, 0x00, 1];
    const bytes = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...types, ...big(2, body)]);
    const read = moduleImports(bytes);
    expect(read).toHaveLength(131);
    expect(read[129]).toEqual({ module: 'm', name: 'f129', kind: 'function', signature: 'iI:i' });
    expect(read[0].signature).toBe('fF:');
    expect(read[130]).toEqual({ module: 'env', name: 'memory', kind: 'memory' });
  });
});

describe('compileProgram', () => {
  it('compiles a runnable program, and refuses invalid bytes and a wrong signature with ProgramError', async () => {
    await expect(compileProgram(bytesOf([['wasi_snapshot_preview1', 'fd_write']]))).resolves.toBeInstanceOf(WebAssembly.Module);
    await expect(compileProgram(new Uint8Array([1, 2, 3]))).rejects.toThrow(/not a valid WebAssembly module/);
    await expect(compileProgram(bytesOf([['wasi_snapshot_preview1', 'fd_write', 'Fiii:i']]))).rejects.toBeInstanceOf(ProgramError);
  });
});
