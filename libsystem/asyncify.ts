// Making a program able to fork: Binaryen's Asyncify pass, applied only to programs that import
// webmach's fork, so that the task library can unwind the program's call stack into its own memory
// and wind it back, in the parent and in a copy of its memory in the child (libsystem/fork.ts).
// Only the functions that can reach the fork import are instrumented, and a program that never forks
// runs its bytes unchanged. Asyncify must assume that any indirect call can reach fork, which
// instruments every function that calls through a pointer (qsort, an interpreter's dispatch) and its
// callers; when no function a pointer can name (the table's, ref.func's) reaches fork by direct
// calls, no indirect call can, and the pass is told to ignore them. The pass also exports every mutable global the program defines (its
// stack pointer among them), so the child can start with the parent's values. The result is
// cached by the SHA-256 of the program's bytes: in memory, and in the store the platform gives
// (a directory in Node), so a second run pays nothing. Binaryen (13 MB of JavaScript) is loaded
// only when a program that forks is first transformed (in a browser, from the served package).

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

/**
 * Binaryen, by name where the runtime resolves names (Node: node_modules), else (a browser) from the
 * package's node_modules beside dist/, which `webmach serve` serves.
 */
function loadBinaryen(): Promise<Binaryen> {
  const name = 'binaryen'; // a variable: bundlers leave it to the runtime
  const served = new URL('../../node_modules/binaryen/index.js', import.meta.url).href;
  const load = (specifier: string) => import(/* @vite-ignore */ specifier).then((m: { default: Binaryen }) => m.default);
  return (binaryen ??= load(name).catch(() => load(served)));
}

/** Which fields of an expression of each kind are its children (an unknown kind: undefined). */
function childFields(b: Binaryen): Map<number, readonly string[]> {
  const kinds: Array<[string, readonly string[]]> = [
    ['Nop', []], ['Block', ['children']], ['If', ['condition', 'ifTrue', 'ifFalse']], ['Loop', ['body']],
    ['Break', ['condition', 'value']], ['Switch', ['condition', 'value']], ['Call', ['operands']],
    ['CallIndirect', ['target', 'operands']], ['LocalGet', []], ['LocalSet', ['value']], ['GlobalGet', []],
    ['GlobalSet', ['value']], ['Load', ['ptr']], ['Store', ['ptr', 'value']], ['AtomicRMW', ['ptr', 'value']],
    ['AtomicCmpxchg', ['ptr', 'expected', 'replacement']], ['AtomicWait', ['ptr', 'expected', 'timeout']],
    ['AtomicNotify', ['ptr', 'notifyCount']], ['AtomicFence', []], ['SIMDExtract', ['vec']],
    ['SIMDReplace', ['vec', 'value']], ['SIMDShuffle', ['left', 'right']], ['SIMDTernary', ['a', 'b', 'c']],
    ['SIMDShift', ['vec', 'shift']], ['SIMDLoad', ['ptr']], ['SIMDLoadStoreLane', ['ptr', 'vec']],
    ['MemoryInit', ['dest', 'offset', 'size']], ['DataDrop', []], ['MemoryCopy', ['dest', 'source', 'size']],
    ['MemoryFill', ['dest', 'value', 'size']], ['Const', []], ['Unary', ['value']], ['Binary', ['left', 'right']],
    ['Select', ['ifTrue', 'ifFalse', 'condition']], ['Drop', ['value']], ['Return', ['value']], ['MemorySize', []],
    ['MemoryGrow', ['delta']], ['Unreachable', []], ['RefNull', []], ['RefIsNull', ['value']], ['RefFunc', []],
    ['TupleMake', ['operands']], ['TupleExtract', ['tuple']],
  ];
  const ids = b as unknown as Record<string, number>;
  return new Map(kinds.map(([kind, fields]) => [ids[`${kind}Id`], fields]));
}

/**
 * Whether a function that a pointer can name (an element of a table, or a ref.func) reaches fork
 * through direct calls: if none does, no indirect call can reach it. True as well for code this
 * does not know (then every indirect call is assumed to).
 */
function pointersReachFork(b: Binaryen, module: ReturnType<Binaryen['readBinary']>): boolean {
  const fields = childFields(b);
  const callers = new Map<string, Set<string>>(); // callee -> its direct callers
  const pointed = new Set<string>();
  let fork: string | undefined;
  for (let i = 0; i < module.getNumFunctions(); i++) {
    const f = b.getFunctionInfo(module.getFunctionByIndex(i));
    if (f.module === FORK_IMPORT.module && f.base === FORK_IMPORT.name) fork = f.name;
    if (f.module || !f.body) continue;
    for (const stack = [f.body]; stack.length > 0; ) {
      const expr = stack.pop()!;
      const id = b.getExpressionId(expr);
      const children = fields.get(id);
      if (!children) return true;
      if (children.length === 0 && id !== b.RefFuncId) continue; // (some kinds have no info to get)
      const info = b.getExpressionInfo(expr) as unknown as Record<string, unknown> & { id: number };
      if (info.id === b.CallId) {
        const callee = info.target as string;
        if (!callers.has(callee)) callers.set(callee, new Set());
        callers.get(callee)!.add(f.name);
      }
      if (info.id === b.RefFuncId) pointed.add(info.func as string);
      for (const c of children) for (const e of [info[c]].flat()) if (typeof e === 'number' && e !== 0) stack.push(e);
    }
  }
  for (let i = 0; i < module.getNumElementSegments(); i++) b.getElementSegmentInfo(module.getElementSegmentByIndex(i)).data.forEach((n) => pointed.add(n));
  const reaching = new Set<string>();
  for (const todo = fork ? [fork] : []; todo.length > 0; ) {
    for (const caller of callers.get(todo.pop()!) ?? []) {
      if (reaching.has(caller)) continue;
      reaching.add(caller);
      todo.push(caller);
    }
  }
  return [...pointed].some((n) => reaching.has(n));
}

/**
 * Export the mutable globals, then Asyncify with fork as the one import that unwinds (ignoring
 * indirect calls when none can reach it), then optimize as wasm-opt -O2 does (the pass's output is
 * slow until optimized).
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
    b.setPassArgument('asyncify-ignore-indirect', pointersReachFork(b, module) ? null : 'true');
    b.setOptimizeLevel(2);
    b.setShrinkLevel(0);
    module.runPasses(['asyncify']);
    module.optimize();
    return module.emitBinary() as Uint8Array<ArrayBuffer>;
  } finally {
    b.setPassArgument('asyncify-ignore-indirect', null);
    module.dispose();
  }
}
