// Types for comlink's Node adapter module. comlink ships node-adapter.d.ts beside node-adapter.mjs,
// which NodeNext resolution does not pair with the .mjs path; this declares that path with those types.
declare module 'comlink/dist/esm/node-adapter.mjs' {
  import type { Endpoint } from 'comlink';

  /** What the adapter needs: a Node MessagePort, Worker or parentPort. */
  export interface NodeEndpoint {
    postMessage(message: unknown, transfer?: readonly Transferable[]): void;
    on(type: string, listener: (value: unknown) => void): void;
    off(type: string, listener: (value: unknown) => void): void;
    start?: () => void;
  }

  export default function nodeEndpoint(nep: NodeEndpoint): Endpoint;
}
