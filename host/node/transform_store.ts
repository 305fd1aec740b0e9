// Where Node keeps programs made able to fork (libsystem/asyncify.ts) between runs: one file per
// program, named by the SHA-256 of its original bytes, in $WEBMACH_CACHE or the user's cache
// directory ($XDG_CACHE_HOME or ~/.cache, then webmach/forkable). Written to a temporary name and
// renamed, so a reader never sees half a file.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { TransformStore } from '../../libsystem/asyncify.js';

function directory(): string {
  if (process.env.WEBMACH_CACHE) return process.env.WEBMACH_CACHE;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'webmach', 'forkable');
}

export function nodeTransformStore(dir = directory()): TransformStore {
  const file = (key: string) => join(dir, `${key}.wasm`);
  return {
    async get(key) {
      return readFile(file(key)).then((b) => new Uint8Array(b.buffer, b.byteOffset, b.length), () => undefined);
    },
    async put(key, bytes) {
      await mkdir(dir, { recursive: true });
      const temp = `${file(key)}.${process.pid}.${Math.random().toString(36).slice(2)}`;
      await writeFile(temp, bytes);
      await rename(temp, file(key));
    },
  };
}
