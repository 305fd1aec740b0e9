#!/usr/bin/env node
// The webmach command: runs the built CLI, bundled (dist/bundle/node/cli.js, from host/node/cli.ts; see
// rolldown.config.mjs). `npm ci` (or `npm install`) in the webmach folder builds it (the prepare
// script), as does `npm run build`; a packed tarball ships it.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/bundle/node/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('webmach: not built yet: run `npm ci` (or `npm run build`) in the webmach folder\n');
  process.exit(1);
}
await import(cli.href);
