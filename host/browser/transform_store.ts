// Where a browser keeps programs made able to fork (libsystem/asyncify.ts) between page loads: the
// Cache Storage API (in the page and in workers, of a secure context), one entry per program, named
// by the SHA-256 of its original bytes under this origin's /.webmach/forkable/.
import type { TransformStore } from '../../libsystem/asyncify.js';

export const TRANSFORM_CACHE = 'webmach-forkable';

/** The store, or undefined where there is no Cache Storage (an insecure context). */
export function browserTransformStore(): TransformStore | undefined {
  if (typeof caches === 'undefined') return undefined;
  const url = (key: string) => `${globalThis.location.origin}/.webmach/forkable/${key}.wasm`;
  return {
    async get(key) {
      const hit = await (await caches.open(TRANSFORM_CACHE)).match(url(key));
      return hit ? new Uint8Array(await hit.arrayBuffer()) : undefined;
    },
    async put(key, bytes) {
      const body = new Uint8Array(bytes); // a copy of its own, as a Response takes it
      await (await caches.open(TRANSFORM_CACHE)).put(url(key), new Response(body, { headers: { 'content-type': 'application/wasm' } }));
    },
  };
}

/** Keep transformed programs in the browser's cache, where there is one. */
export function useBrowserTransformStore(set: (s: TransformStore) => void): void {
  const store = browserTransformStore();
  if (store) set(store);
}
