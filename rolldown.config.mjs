// The Node command's bundle: the CLI and the worker entry, each with what it imports, into
// dist/bundle/node/ (three folders deep, like dist/host/node/, so the code's own relative URLs to
// build/kernel.wasm and ./worker_main.js hold). Node loads ES modules one file at a time, and
// starting `webmach run` loaded about 65 of them across three threads; bundled, it loads a few.
// Tests and the library keep importing tsc's output in dist/ directly.
import { defineConfig } from 'rolldown';

export default defineConfig({
  input: {
    cli: 'dist/host/node/cli.js',
    worker_main: 'dist/host/node/worker_main.js',
  },
  platform: 'node',
  output: {
    dir: 'dist/bundle/node',
    format: 'esm',
    sourcemap: true,
    chunkFileNames: '[name].js',
  },
});
