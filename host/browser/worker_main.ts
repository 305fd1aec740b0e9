// Entry file of a browser (module) worker: adapt the worker scope and run workers/main.ts. Programs
// the server compiles that fork are kept made able to in the browser's cache (transform_store.ts).
import { workerMain } from '../../workers/main.js';
import { scopeEndpoint } from './endpoint.js';
import { useBrowserTransformStore } from './transform_store.js';
import { setTransformStore } from '../../libsystem/asyncify.js';

useBrowserTransformStore(setTransformStore);

workerMain(scopeEndpoint(globalThis as unknown as Parameters<typeof scopeEndpoint>[0]));
