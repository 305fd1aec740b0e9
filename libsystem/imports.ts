// Which imports webmach provides to a program, and which of a module's imports it does not, so a
// program that needs something missing fails before it starts, with the import named.
import { PREVIEW1_FUNCTIONS, WEBMACH_FUNCTIONS } from './wasi.js';

const PROVIDED: Readonly<Record<string, ReadonlySet<string>>> = {
  wasi_snapshot_preview1: new Set<string>(PREVIEW1_FUNCTIONS),
  webmach: new Set<string>(WEBMACH_FUNCTIONS),
};

/** "module.name" of each import webmach does not provide (a WASI command defines its own memory). */
function missingImports(module: WebAssembly.Module): string[] {
  return WebAssembly.Module.imports(module)
    .filter((i) => !(i.kind === 'function' && PROVIDED[i.module]?.has(i.name)))
    .map((i) => `${i.module}.${i.name}`);
}

/** Why webmach cannot run `module`, in words for a user, or undefined if it can. */
export function programProblem(module: WebAssembly.Module): string | undefined {
  if (WebAssembly.Module.imports(module).some((i) => i.module === 'wasi_unstable')) {
    return 'it targets wasi_unstable (WASI preview0); webmach runs WASI preview1 (wasi_snapshot_preview1) programs';
  }
  const missing = missingImports(module);
  if (missing.length) return `it needs imports webmach does not provide: ${listed(missing)}`;
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
