// Entry file of a browser (module) worker: adapt the worker scope and run workers/main.ts.
import { workerMain } from '../../workers/main.js';
import { scopeEndpoint } from './endpoint.js';

workerMain(scopeEndpoint(globalThis as unknown as Parameters<typeof scopeEndpoint>[0]));
