// Programs made able to fork (libsystem/asyncify.ts through compileProgram): only a program that
// imports webmach's fork is transformed (it gains Asyncify's exports and its mutable globals as
// exports); one that does not is compiled from its own bytes. The transform is stored by the SHA-256
// of the program's bytes and a stored one is used instead of transforming again (a damaged one is
// made again); Node's store keeps them as files.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileProgram } from '../../dist/libsystem/imports.js';
import { setTransformStore, type TransformStore } from '../../dist/libsystem/asyncify.js';
import { nodeTransformStore } from '../../dist/host/node/transform_store.js';

const POSIX = fileURLToPath(new URL('../programs/posix/', import.meta.url));
const exportNames = (m: WebAssembly.Module) => WebAssembly.Module.exports(m).map((e) => e.name);
let unique = 0;

/** fork.wasm with a custom section of its own, so no cache has seen these bytes. */
function freshForkBytes(): Uint8Array<ArrayBuffer> {
  const original = readFileSync(join(POSIX, 'fork.wasm'));
  const name = new TextEncoder().encode(`test-${process.pid}-${unique++}-${Math.random()}`);
  const section = [0, name.length + 1, name.length, ...name];
  return new Uint8Array([...original, ...section]);
}

/** A store that records what is asked of it and answers from `entries`. */
function recordingStore(entries = new Map<string, Uint8Array<ArrayBuffer>>()) {
  const calls: string[] = [];
  const store: TransformStore = {
    async get(key) {
      calls.push(`get ${key}`);
      return entries.get(key);
    },
    async put(key, bytes) {
      calls.push(`put ${key}`);
      entries.set(key, new Uint8Array(bytes));
    },
  };
  return { store, calls, entries };
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('programs that fork', () => {
  it('a program importing fork gains the Asyncify exports and its globals; others are left as they are', async () => {
    setTransformStore(recordingStore().store);
    const forking = exportNames(await compileProgram(freshForkBytes()));
    expect(forking).toEqual(expect.arrayContaining(['asyncify_start_unwind', 'asyncify_stop_unwind', 'asyncify_start_rewind', 'asyncify_stop_rewind', '__webmach_global_0']));
    const plain = exportNames(await compileProgram(new Uint8Array(readFileSync(join(POSIX, 'dup.wasm')))));
    expect(plain.some((n) => n.startsWith('asyncify') || n.startsWith('__webmach_global'))).toBe(false);
  }, 60_000);

  it('the transform is stored under the hash of the bytes, a stored one is used, a damaged one made again', async () => {
    const { store, calls, entries } = recordingStore();
    setTransformStore(store);
    const first = freshForkBytes();
    await compileProgram(first);
    const key = sha256(first);
    expect(calls).toEqual([`get ${key}`, `put ${key}`]);
    expect(WebAssembly.validate(entries.get(key)!)).toBe(true);

    const second = freshForkBytes();
    const key2 = sha256(second);
    entries.set(key2, entries.get(key)!);
    calls.length = 0;
    expect(exportNames(await compileProgram(second))).toContain('asyncify_start_unwind');
    expect(calls).toEqual([`get ${key2}`]); // no transform, nothing stored

    const third = freshForkBytes();
    const key3 = sha256(third);
    entries.set(key3, new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 99]));
    calls.length = 0;
    expect(exportNames(await compileProgram(third))).toContain('asyncify_start_unwind');
    expect(calls).toEqual([`get ${key3}`, `put ${key3}`]);
  }, 60_000);

  it("Node's store keeps an entry as a file and gives it back; a missing key is undefined", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'webmach-forkable-'));
    try {
      const store = nodeTransformStore(join(dir, 'made', 'by', 'put'));
      expect(await store.get('a'.repeat(64))).toBeUndefined();
      await store.put('a'.repeat(64), new Uint8Array([1, 2, 3]));
      expect([...(await store.get('a'.repeat(64)))!]).toEqual([1, 2, 3]);
      expect([...readFileSync(join(dir, 'made', 'by', 'put', `${'a'.repeat(64)}.wasm`))]).toEqual([1, 2, 3]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
