// Which imports webmach provides to a program (abi/imports.ts), and what is wrong
// with a module's imports, so a program that needs something missing, or imports a function with a
// signature other than the one its definition gives, fails before it starts, with the import named.
// WebAssembly.Module.imports() gives no types (type reflection is not in Node 20 or browsers yet),
// so the signatures are read from the module's type and import sections. compileProgram is where
// every program is compiled (the CLI's, and the server's for spawn and exec).
import { IMPORT_MODULES } from '../abi/imports.js';
import { FORK_IMPORT, forkable } from './asyncify.js';

/** One import of a module; functions carry their signature ("PARAMS:RESULTS", as in IMPORT_MODULES). */
export interface ImportEntry {
  module: string;
  name: string;
  kind: 'function' | 'table' | 'memory' | 'global' | 'tag';
  signature?: string;
}

const VALUE_LETTERS: Readonly<Record<number, string>> = { 0x7f: 'i', 0x7e: 'I', 0x7d: 'f', 0x7c: 'F', 0x7b: 'v', 0x70: 'r', 0x6f: 'x' };
const KINDS = ['function', 'table', 'memory', 'global', 'tag'] as const;
const decoder = new TextDecoder();

/** A cursor over a module's bytes: LEB128 numbers, names, skipping. Throws at the end of the bytes. */
class Reader {
  constructor(private bytes: Uint8Array, public at = 0) {}

  byte(): number {
    if (this.at >= this.bytes.length) throw new RangeError('unexpected end of module');
    return this.bytes[this.at++];
  }

  u32(): number {
    let result = 0;
    for (let shift = 0; ; shift += 7) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
    }
  }

  name(): string {
    const len = this.u32();
    const start = this.at;
    this.at += len;
    return decoder.decode(this.bytes.subarray(start, this.at));
  }

  limits(): void {
    const flags = this.byte();
    this.u32();
    if (flags & 1) this.u32();
  }
}

/** The function types of the type section, as signatures. */
function readTypes(r: Reader): string[] {
  const types: string[] = [];
  for (let n = r.u32(); n > 0; n--) {
    if (r.byte() !== 0x60) throw new RangeError('unsupported type form');
    const values = () => Array.from({ length: r.u32() }, () => VALUE_LETTERS[r.byte()] ?? '?').join('');
    const params = values();
    types.push(`${params}:${values()}`);
  }
  return types;
}

function readImports(r: Reader, types: string[]): ImportEntry[] {
  const imports: ImportEntry[] = [];
  for (let n = r.u32(); n > 0; n--) {
    const module = r.name();
    const name = r.name();
    const kind = KINDS[r.byte()] ?? 'tag';
    const entry: ImportEntry = { module, name, kind };
    if (kind === 'function') entry.signature = types[r.u32()] ?? '?';
    else if (kind === 'table') (r.byte(), r.limits());
    else if (kind === 'memory') r.limits();
    else if (kind === 'global') (r.byte(), r.byte());
    else (r.byte(), r.u32());
    imports.push(entry);
  }
  return imports;
}

/** Every import of a (valid) module's bytes, functions with their signatures. */
export function moduleImports(bytes: Uint8Array): ImportEntry[] {
  const r = new Reader(bytes, 8);
  let types: string[] = [];
  while (r.at < bytes.length) {
    const id = r.byte();
    const size = r.u32();
    const end = r.at + size;
    if (id === 1) types = readTypes(r);
    if (id === 2) return readImports(r, types);
    r.at = end;
  }
  return [];
}

/** "module.name" of each import webmach does not provide (a WASI command defines its own memory). */
function missingImports(imports: ImportEntry[]): string[] {
  return imports.filter((i) => !(i.kind === 'function' && IMPORT_MODULES[i.module]?.[i.name])).map((i) => `${i.module}.${i.name}`);
}

/** "module.name (has S, expects T)" for each function imported with a signature other than its definition's. */
function mistypedImports(imports: ImportEntry[]): string[] {
  return imports.flatMap((i) => {
    const expected = IMPORT_MODULES[i.module]?.[i.name];
    return expected && i.signature !== expected ? [`${i.module}.${i.name} (imported as ${readable(i.signature ?? '?')}, defined as ${readable(expected)})`] : [];
  });
}

const TYPE_NAMES: Readonly<Record<string, string>> = { i: 'i32', I: 'i64', f: 'f32', F: 'f64', v: 'v128', r: 'funcref', x: 'externref' };

/** "(i32, i64) -> i32" for "iI:i". */
function readable(signature: string): string {
  const [params, results = ''] = signature.split(':');
  const list = (s: string) => [...s].map((c) => TYPE_NAMES[c] ?? '?').join(', ');
  return `(${list(params)}) -> (${list(results)})`;
}

/** Why webmach cannot run `module` (compiled from `bytes`), in words for a user, or undefined if it can. */
export function programProblem(module: WebAssembly.Module, bytes: Uint8Array): string | undefined {
  const imports = moduleImports(bytes);
  if (imports.some((i) => i.module === 'wasi_unstable')) {
    return 'it targets wasi_unstable (WASI preview0); webmach runs WASI preview1 (wasi_snapshot_preview1) programs';
  }
  const missing = missingImports(imports);
  if (missing.length) return `it needs imports webmach does not provide: ${listed(missing)}`;
  const mistyped = mistypedImports(imports);
  if (mistyped.length) return `it imports ${mistyped.length === 1 ? 'a function' : 'functions'} with the wrong signature: ${listed(mistyped, 3)}`;
  return commandProblem(module);
}

/** The first few names, and how many more there are (a program built for a JS host can need dozens). */
function listed(names: string[], shown = 5): string {
  const more = names.length - shown;
  return names.slice(0, shown).join(', ') + (more > 0 ? ` and ${more} more (from ${[...new Set(names.map((n) => n.split('.')[0]))].join(', ')})` : '');
}

/** A WASI command exports its memory and _start. */
function commandProblem(module: WebAssembly.Module): string | undefined {
  const exports = new Map(WebAssembly.Module.exports(module).map((e) => [e.name, e.kind]));
  if (exports.get('_start') !== 'function') return 'it is not a WASI command (no _start function export)';
  if (exports.get('memory') !== 'memory') return 'it exports no memory';
  return undefined;
}

/** A file that is not a runnable program: `reason` completes "cannot run FILE: ...". */
export class ProgramError extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/**
 * Compile a program's bytes and check that webmach can run it (ProgramError if not). A program that
 * imports fork is compiled as made able to fork (asyncify.ts).
 */
export async function compileProgram(bytes: Uint8Array<ArrayBuffer>): Promise<WebAssembly.Module> {
  let module: WebAssembly.Module;
  try {
    module = await WebAssembly.compile(bytes);
  } catch (e) {
    throw new ProgramError(`it is not a valid WebAssembly module: ${(e as Error).message}`);
  }
  const problem = programProblem(module, bytes);
  if (problem) throw new ProgramError(problem);
  if (!WebAssembly.Module.imports(module).some((i) => i.module === FORK_IMPORT.module && i.name === FORK_IMPORT.name)) return module;
  try {
    return await WebAssembly.compile(await forkable(bytes));
  } catch (e) {
    throw new ProgramError(`it forks, and making it able to (Binaryen's Asyncify) failed: ${(e as Error).message}`);
  }
}
