// programProblem (libsystem/imports.ts) on modules built here byte by byte: what webmach provides
// passes, a missing import is named, a long list is cut to its first five with a count, and WASI
// preview0 and non-commands are refused with their reason.
import { describe, expect, it } from 'vitest';
import { programProblem } from '../../dist/libsystem/imports.js';

// Sizes and counts stay below 128, so each LEB128 number is one byte.
const name = (s: string) => {
  const bytes = [...new TextEncoder().encode(s)];
  return [bytes.length, ...bytes];
};
const vec = (items: number[][]) => [items.length, ...items.flat()];
const section = (id: number, body: number[]) => [id, body.length, ...body];

/** A module importing `imports` (module, name) as functions () -> (), optionally a command (memory + _start). */
function module(imports: Array<[string, string]>, command = true): WebAssembly.Module {
  const types = section(1, vec([[0x60, 0, 0]]));
  const importSection = section(2, vec(imports.map(([m, n]) => [...name(m), ...name(n), 0x00, 0])));
  const funcs = command ? section(3, vec([[0]])) : [];
  const memory = command ? section(5, vec([[0x00, 1]])) : [];
  const exports = command ? section(7, vec([[...name('memory'), 0x02, 0], [...name('_start'), 0x00, imports.length]])) : [];
  const code = command ? section(10, vec([[2, 0, 0x0b]])) : [];
  const bytes = [0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...types, ...importSection, ...funcs, ...memory, ...exports, ...code];
  return new WebAssembly.Module(new Uint8Array(bytes));
}

describe('programProblem', () => {
  it('accepts a command that imports only what webmach provides', () => {
    expect(programProblem(module([['wasi_snapshot_preview1', 'fd_write'], ['webmach', 'getpid']]))).toBeUndefined();
  });

  it('names a missing import', () => {
    expect(programProblem(module([['wasi_snapshot_preview1', 'fd_write'], ['env', 'frob']]))).toBe('it needs imports webmach does not provide: env.frob');
  });

  it('cuts a long list to five names, a count and the modules', () => {
    const many = Array.from({ length: 8 }, (_, i): [string, string] => [i < 6 ? 'host' : 'other', `f${i}`]);
    expect(programProblem(module(many))).toBe('it needs imports webmach does not provide: host.f0, host.f1, host.f2, host.f3, host.f4 and 3 more (from host, other)');
  });

  it('refuses WASI preview0 by name, and modules that are not commands', () => {
    expect(programProblem(module([['wasi_unstable', 'fd_write']]))).toContain('wasi_unstable (WASI preview0)');
    expect(programProblem(module([['wasi_snapshot_preview1', 'fd_write']], false))).toContain('not a WASI command');
  });
});
