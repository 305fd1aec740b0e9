// Making a program able to fork: Binaryen's Asyncify pass, applied only to programs that import
// webmach's fork, so that the task library can unwind the program's call stack into its own memory
// and wind it back, in the parent and in a copy of its memory in the child (libsystem/fork.ts).
// Only the functions that can reach the fork import are instrumented; a program that never forks
// runs its bytes unchanged. The pass also exports every mutable global the program defines (its
// stack pointer among them), so the child can start with the parent's values. The result is
// cached by the SHA-256 of the program's bytes: in memory, and in the store the platform gives
// (a directory in Node), so a second run pays nothing. Binaryen (13 MB of JavaScript) is loaded
// only when a program that forks is first transformed.

/** The import that makes a program one that forks. */
export const FORK_IMPORT = { module: 'webmach', name: 'fork' } as const;

/** Exports the pass adds: the mutable globals, by their index in the module. */
export const GLOBAL_EXPORT_PREFIX = '__webmach_global_';

/** Where transformed programs are kept between runs. */
export interface TransformStore {
  get(key: string): Promise<Uint8Array<ArrayBuffer> | undefined>;
  put(key: string, bytes: Uint8Array): Promise<void>;
}

let store: TransformStore | undefined;
const transformed = new Map<string, Promise<Uint8Array<ArrayBuffer>>>();
/** A program's transform is kept in memory while it is one of the most recent this many. */
const KEPT = 16;

/** Keep transformed programs in `s` too (the platform's: a directory in Node). */
export function setTransformStore(s: TransformStore): void {
  store = s;
}

async function contentKey(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** `bytes` (a program that imports fork) made able to fork: from a cache when it was done before. */
export async function forkable(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const key = await contentKey(bytes);
  let result = transformed.get(key);
  if (!result) {
    result = fromStoreOrTransform(key, bytes);
    result.catch(() => transformed.delete(key));
  }
  transformed.delete(key);
  transformed.set(key, result);
  if (transformed.size > KEPT) transformed.delete(transformed.keys().next().value!);
  return result;
}

async function fromStoreOrTransform(key: string, bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const kept = await store?.get(key).catch(() => undefined);
  if (kept && WebAssembly.validate(kept)) return kept; // a damaged entry is made again
  const out = await transform(bytes);
  await store?.put(key, out).catch(() => undefined); // a cache that cannot be written costs time, not correctness
  return out;
}

/** Binaryen's module object, as far as it is used here. */
type Binaryen = typeof import('binaryen').default;

let binaryen: Promise<Binaryen> | undefined;

function loadBinaryen(): Promise<Binaryen> {
  // A variable specifier: bundlers leave it to the runtime (Node finds it in node_modules).
  const name = 'binaryen';
  return (binaryen ??= import(/* @vite-ignore */ name).then((m: { default: Binaryen }) => m.default));
}

/**
 * Export the mutable globals, then Asyncify with fork as the one import that unwinds, then
 * optimize as wasm-opt -O2 does (the pass's output is slow until optimized).
 */
async function transform(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const b = await loadBinaryen();
  const module = b.readBinary(bytes);
  try {
    module.setFeatures(b.Features.MVP | b.Features.MutableGlobals | b.Features.SignExt | b.Features.BulkMemory |
      b.Features.NontrappingFPToInt | b.Features.Multivalue | b.Features.ReferenceTypes | b.Features.SIMD128);
    for (let i = 0; i < module.getNumGlobals(); i++) {
      const g = b.getGlobalInfo(module.getGlobalByIndex(i));
      if (g.mutable && !g.module) module.addGlobalExport(g.name, `${GLOBAL_EXPORT_PREFIX}${i}`);
    }
    b.setPassArgument('asyncify-imports', `${FORK_IMPORT.module}.${FORK_IMPORT.name}`);
    b.setOptimizeLevel(2);
    b.setShrinkLevel(0);
    module.runPasses(['asyncify']);
    module.optimize();
    return module.emitBinary() as Uint8Array<ArrayBuffer>;
  } finally {
    module.dispose();
  }
}
